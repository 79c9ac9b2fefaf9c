// Bundles the extension host entry (activation bundle and core), the headless CLI and the inspector's webview script with esbuild.
// Type-checking is separate (`npm run typecheck`), as in vscode-extension-samples/esbuild-sample.
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';
import { embedStubs } from './embedStubs.mjs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [embedStubs],
};

const targets = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('src/extension.ts')) {
  // Two bundles: the activation bundle VS Code loads (commands, views, log) and the core it loads on first use.
  targets.push({ entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './core.js'] });
  targets.push({ entryPoints: ['src/extensionCore.ts'], outfile: 'dist/core.js', external: ['vscode'] });
}
if (existsSync('media/inspector/main.ts')) {
  targets.push({
    entryPoints: ['media/inspector/main.ts'],
    outfile: 'dist/media/inspector.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

await Promise.all(targets.map((t) => build({ ...common, ...t })));
chmodSync('dist/cli.js', 0o755);
