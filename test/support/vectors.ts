// The protocol test vectors, committed as test/fixtures/vectors.json (a byte-for-byte copy of
// ../shared/reference/vectors.json, checked by test/unit/vectors-fixture.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HttpNotificationVector {
  name: string;
  contentType: string;
  body: string;
  hashAlgoHeader: string | null;
  signature: string;
}
export interface LegacyVector {
  name: string;
  body: string;
  sig: string;
  notifications: number;
}
export interface Vectors {
  secret: string;
  httpNotification: HttpNotificationVector[];
  legacyNotification: LegacyVector[];
  ksV1: { partnerId: number; expiryAbs: number; type: number; rand: number; userId: string; privileges: string; ks: string };
  ksV2: {
    partnerId: number; expiryAbs: number; type: number; userId: string; privileges: string;
    randomHex: string; fieldsString: string; ks: string;
  };
  appTokenHash: { ks: string; token: string; sha1: string; sha256: string; md5: string };
}

export const vectorsPath = join(__dirname, '..', 'fixtures', 'vectors.json');
export const vectors: Vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'));
