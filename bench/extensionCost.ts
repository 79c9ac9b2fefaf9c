// Extension cost (issue #7, benchmark 4): VSIX size (packaged with `npm run package` when stale, like the e2e
// suite), production bundle size (an esbuild build of src/extension.ts into a temp dir, with its biggest inputs),
// and activation time of that bundle: the extension's own "activated in N ms" log line, read in a child process
// that loads the bundle with a stub `vscode` module (no extension host here). Same-run baseline for activation:
// requiring and calling an empty activate() the same way.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureVsix } from '../test/e2e/support/extensionPackage';
import { forkBench, nextMessage, waitExit } from './children';
import { median, round } from './stats';

export interface ExtensionCostResult {
  vsixBytes: number;
  bundleBytes: number;
  devBundleBytes: number | null;
  topInputs: Array<{ path: string; bytes: number }>;
  activationMs: number;
  activateWallMs: number;
  loadMs: number;
  baselineActivateMs: number;
  activationMeasuredWith: string;
}

interface ActivationReport {
  loadMs: number;
  activateMs: number;
  loggedMs: number | null;
  subscriptions: number;
}

const repoRoot = resolve(__dirname, '..');

async function activationOnce(bundle: string): Promise<ActivationReport> {
  const child = forkBench('activationChild.ts', [bundle]);
  try {
    return await nextMessage(child, 'activation child', (m) => (m as { report?: ActivationReport }).report, 60_000);
  } finally {
    await waitExit(child);
  }
}

export async function runExtensionCost(log: (line: string) => void = console.log): Promise<ExtensionCostResult> {
  log('extension cost: VSIX, production bundle, activation (stub vscode module, 5 fresh processes)');
  const vsixPath = ensureVsix();
  const vsixBytes = statSync(vsixPath).size;
  const dir = mkdtempSync(join(tmpdir(), 'kwh-bench-ext-'));
  try {
    const outfile = join(dir, 'extension.js');
    const result = await build({
      entryPoints: [join(repoRoot, 'src/extension.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      legalComments: 'none',
      external: ['vscode'],
      metafile: true,
      logLevel: 'error',
    });
    const bundleBytes = statSync(outfile).size;
    const inputs = result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith('extension.js'))!]!.inputs;
    const byPackage = new Map<string, number>();
    for (const [path, info] of Object.entries(inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? `node_modules/${m[1]}` : path.split('/').slice(0, 3).join('/');
      byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
    }
    const topInputs = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([path, bytes]) => ({ path, bytes }));
    let devBundleBytes: number | null = null;
    try {
      devBundleBytes = statSync(join(repoRoot, 'dist/extension.js')).size;
    } catch {
      // not built
    }

    const empty = join(dir, 'empty.js');
    writeFileSync(empty, 'exports.activate = function activate(context) { const t = performance.now(); require("vscode").window.createOutputChannel("x").appendLine(`activated in ${(performance.now() - t).toFixed(1)} ms`); };\n');
    const runs: ActivationReport[] = [];
    const baseline: ActivationReport[] = [];
    for (let i = 0; i < 5; i++) {
      runs.push(await activationOnce(outfile));
      baseline.push(await activationOnce(empty));
    }
    if (runs.some((r) => r.loggedMs === null)) throw new Error('the extension did not log "activated in N ms" during activate()');
    const activationMs = round(median(runs.map((r) => r.loggedMs!)), 1);
    log(`  VSIX ${(vsixBytes / 1024).toFixed(0)} KiB (${vsixPath}), production bundle ${(bundleBytes / 1024).toFixed(0)} KiB`);
    log(`  biggest bundle inputs: ${topInputs.map((t) => `${t.path} ${(t.bytes / 1024).toFixed(0)} KiB`).join(', ')}`);
    log(`  activation (median of 5): "activated in" ${activationMs} ms, activate() wall ${median(runs.map((r) => r.activateMs)).toFixed(1)} ms, bundle load ${median(runs.map((r) => r.loadMs)).toFixed(1)} ms; empty-extension baseline ${median(baseline.map((r) => r.activateMs)).toFixed(2)} ms`);
    return {
      vsixBytes,
      bundleBytes,
      devBundleBytes,
      topInputs,
      activationMs,
      activateWallMs: round(median(runs.map((r) => r.activateMs)), 1),
      loadMs: round(median(runs.map((r) => r.loadMs)), 1),
      baselineActivateMs: round(median(baseline.map((r) => r.activateMs)), 2),
      activationMeasuredWith: 'stub vscode module in a child process (no extension host)',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runExtensionCost().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
