// The stub files under ./stubs as text. In plain Node (tests, tsx) they are read from the source tree; the bundles
// replace this module with one that holds their text (scripts/build.mjs, embedStubs), so the extension and the CLI
// carry them without shipping the folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The text of `stubs/<path>`, e.g. `typescript/verifyCommon.ts`. */
export function stubSource(path: string): string {
  if (!/^[a-z]+\/[A-Za-z0-9_.-]+$/.test(path)) throw new Error(`not a stub file name: ${path}`);
  return readFileSync(join(__dirname, 'stubs', path), 'utf8');
}
