// The packaged VSIX (`npm run package`, built once and shared with the e2e suites) carries only what runs,
// stays small, and its bundle contains none of the test-only packages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { test } from 'node:test';
import { ensureVsix } from '../../e2e/support/extensionPackage';

interface ZipEntry {
  name: string;
  size: number;
  read(): Buffer;
}

/** Minimal reader of a zip's central directory (stored and deflated entries), enough for a VSIX. */
function readZip(buf: Buffer): ZipEntry[] {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'the VSIX is a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({
      name,
      size,
      read: () => {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + compressed);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

test('the VSIX holds only the bundle, media, resources and docs, and is at most 1 MiB', { timeout: 300_000 }, () => {
  const path = ensureVsix();
  const buf = readFileSync(path);
  assert.ok(buf.length <= 1024 * 1024, `VSIX is ${buf.length} bytes (limit 1 MiB)`);
  const entries = readZip(buf);
  const files = entries.map((e) => e.name).filter((n) => n.startsWith('extension/'));
  const allowed = /^extension\/(package\.json|package\.nls\.json|l10n\/bundle\.l10n\.json|readme\.md|LICENSE\.txt|changelog\.md|dist\/(extension|core)\.js|dist\/media\/inspector\.js|media\/(inspector\/inspector\.css|walkthrough\/[a-z-]+\.md)|resources\/[a-z-]+\.(svg|png))$/;
  const unexpected = files.filter((f) => !allowed.test(f));
  assert.deepEqual(unexpected, [], 'files in the VSIX that do not run');
  for (const needed of ['extension/package.nls.json', 'extension/l10n/bundle.l10n.json', 'extension/dist/extension.js', 'extension/dist/core.js', 'extension/dist/media/inspector.js', 'extension/media/inspector/inspector.css', 'extension/resources/icon.png']) {
    assert.ok(files.includes(needed), `${needed} is packaged`);
  }
  const activation = entries.find((e) => e.name === 'extension/dist/extension.js')!.read().toString('utf8');
  const bundle = activation + entries.find((e) => e.name === 'extension/dist/core.js')!.read().toString('utf8');
  // VS Code counts loading the activation bundle: it holds the command ids, the views and the log, not the core.
  assert.ok(activation.length <= 16 * 1024, `the activation bundle is ${activation.length} bytes (limit 16 KiB)`);
  assert.ok(activation.includes('"./core.js"'), 'the activation bundle loads the core from its own file');
  assert.ok(!activation.includes('ZodError') && !activation.includes('undici'), 'zod and undici are not in the activation bundle');
  // A string each test-only package carries in its code (bundled or required, it would show up).
  const fingerprints: Record<string, string> = {
    'kaltura-client': 'KalturaClientBase',
    express: 'x-powered-by',
    'playwright-core': 'PLAYWRIGHT_BROWSERS_PATH',
    // The product names code-server in messages; the harness that installs and runs it must not be in the bundle.
    'scripts/codeServer.mjs': 'CODE_SERVER_RELEASES',
  };
  for (const [pkg, fingerprint] of Object.entries(fingerprints)) {
    assert.ok(!bundle.includes(fingerprint), `the bundle must not contain ${pkg} (found "${fingerprint}")`);
  }
  assert.match(bundle, /require\("vscode"\)/, 'vscode stays external');
  const manifest = JSON.parse(entries.find((e) => e.name === 'extension/package.json')!.read().toString('utf8')) as { activationEvents?: string[] };
  assert.ok(!(manifest.activationEvents ?? []).includes('*'), 'no eager activation');
});
