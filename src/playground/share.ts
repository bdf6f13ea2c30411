// Share by URL: the text, deflate-compressed (CompressionStream 'deflate-raw', the same format as
// Node's zlib.deflateRawSync, which `flowlane playground FILE` uses) and base64url-encoded, in the
// fragment, which a browser never sends to a server. Fragment: `#fz=<data>` plus `&name=<file name>`.

export async function encodeText(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function decodeText(data: string): Promise<string> {
  const binary = atob(data.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

export interface Shared {
  text: string;
  name?: string;
}

/** The text a fragment carries, or undefined when it carries none (or cannot be read). */
export async function readFragment(hash: string): Promise<Shared | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const data = params.get('fz');
  if (!data) return undefined;
  try {
    const name = params.get('name');
    return { text: await decodeText(data), ...(name ? { name } : {}) };
  } catch {
    return undefined;
  }
}

export async function fragmentOf(shared: Shared): Promise<string> {
  // URLSearchParams would escape base64url's '-' and '_' not at all, and the name properly.
  const params = new URLSearchParams();
  params.set('fz', await encodeText(shared.text));
  if (shared.name) params.set('name', shared.name);
  return `#${params.toString()}`;
}
