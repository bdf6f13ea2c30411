// Hashes and UTF-8 text for States.Hash, $hash, States.Base64Encode/Decode and the payload limits.
// Node's crypto here; in the browser build src/browser/hash.ts stands in (scripts/browser-stand-ins.mjs).
import { createHash } from 'node:crypto';

/** The algorithms AWS names, as States.Hash and JSONata's $hash take them. */
export const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const;
const NODE_NAMES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** The hex digest of `data`'s UTF-8 bytes, or undefined for an algorithm AWS does not name. */
export function hashHex(algorithm: string, data: string): string | undefined {
  const name = Object.hasOwn(NODE_NAMES, algorithm) ? NODE_NAMES[algorithm] : undefined;
  return name === undefined ? undefined : createHash(name).update(data, 'utf8').digest('hex');
}
