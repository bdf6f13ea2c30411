// The run stage's hashes in a page (stands in for src/run/hash.ts): @noble/hashes, synchronous like
// Node's crypto (SubtleCrypto is asynchronous and has no MD5), the same digests.
import { md5, sha1 } from '@noble/hashes/legacy';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

export const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const;
const HASHES: Record<string, (data: Uint8Array) => Uint8Array> = { MD5: md5, 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 };

export function hashHex(algorithm: string, data: string): string | undefined {
  const hash = Object.hasOwn(HASHES, algorithm) ? HASHES[algorithm] : undefined;
  return hash === undefined ? undefined : bytesToHex(hash(new TextEncoder().encode(data)));
}
