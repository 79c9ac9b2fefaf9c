// Looks for secrets in files: the raw value and the encodings a careless writer would produce.
import { readFileSync, statSync } from 'node:fs';
import { listFiles } from './workbench';

export interface SecretHit {
  file: string;
  secretLabel: string;
  encoding: string;
}

function encodings(secret: string): Array<[string, Buffer]> {
  const forms: Array<[string, string]> = [
    ['raw', secret],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['url-encoded', encodeURIComponent(secret)],
    ['hex', Buffer.from(secret).toString('hex')],
  ];
  const seen = new Set<string>();
  return forms.filter(([, v]) => !seen.has(v) && seen.add(v)).map(([k, v]) => [k, Buffer.from(v)]);
}

/** Every (file, secret, encoding) occurrence under the given folders. Files over 50 MB are skipped. */
export function scanForSecrets(roots: string[], secrets: Record<string, string>): { hits: SecretHit[]; filesScanned: number } {
  const hits: SecretHit[] = [];
  let filesScanned = 0;
  const patterns = Object.entries(secrets).flatMap(([label, value]) => encodings(value).map(([enc, bytes]) => ({ label, enc, bytes })));
  for (const root of roots) {
    for (const file of listFiles(root)) {
      let content: Buffer;
      try {
        if (statSync(file).size > 50 * 1024 * 1024) continue;
        content = readFileSync(file);
      } catch {
        continue;
      }
      filesScanned++;
      for (const p of patterns) if (content.includes(p.bytes)) hits.push({ file, secretLabel: p.label, encoding: p.enc });
    }
  }
  return { hits, filesScanned };
}
