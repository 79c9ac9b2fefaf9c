// Signing as the senders do it, so fixtures can be re-signed with the dummy test secret
// (kaltura-protocol.md §1.2 for X-KALTURA-SIGNATURE, §2.3 for the legacy `sig`).
import { createHash } from 'node:crypto';

export type KalturaHashAlgorithm = 'sha1' | 'sha256' | 'sha512';

export function isKalturaHashAlgorithm(value: string): value is KalturaHashAlgorithm {
  return value === 'sha1' || value === 'sha256' || value === 'sha512';
}

/** hex(HASH(secret + body)): a plain hash of the concatenation, not an HMAC. */
export function kalturaSignature(secret: string, body: Buffer, algorithm: KalturaHashAlgorithm): string {
  return createHash(algorithm).update(Buffer.concat([Buffer.from(secret, 'utf8'), body])).digest('hex');
}

/** md5(secret + concat of key+value sorted by key in byte order, `sig` excluded), as KAsyncNotifier signs. */
export function legacySig(secret: string, pairs: Array<[string, string]>): string {
  const params = new Map<string, string>();
  for (const [k, v] of pairs) if (k !== 'sig') params.set(k, v);
  const keys = [...params.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHash('md5')
    .update(secret + keys.map((k) => k + params.get(k)).join(''), 'utf8')
    .digest('hex');
}
