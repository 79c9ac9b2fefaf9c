// Builds bench/receiverEntry.ts with the options of the production build (scripts/build.mjs --production: esbuild,
// bundled, minified) into a temporary folder. Measured from source under tsx instead, the receiver pays for tsx's
// helpers (a __name call per closure) and its module hooks, which users never run.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Environment variable naming the bundle a benchServer child loads instead of the sources. */
export const RECEIVER_BUNDLE_ENV = 'KWH_BENCH_RECEIVER_BUNDLE';

export async function buildReceiverBundle(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'kwh-bench-bundle-')), 'receiver.js');
  await build({
    entryPoints: [join(__dirname, 'receiverEntry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // KWH_BENCH_READABLE=1 keeps the names (profileReceiver.ts), at the cost of being a little less like the VSIX.
    minify: !process.env['KWH_BENCH_READABLE'],
    legalComments: 'none',
    logLevel: 'error',
  });
  return outfile;
}
