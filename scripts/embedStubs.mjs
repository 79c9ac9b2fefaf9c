// An esbuild plugin that puts the handler stubs (src/core/codegen/stubs/<language>/*) into the bundle as text:
// stubSources.ts, which reads them from the source tree in plain Node, is replaced by a module that imports each
// file with esbuild's text loader. The bundles then need no stubs folder beside them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const embedStubs = {
  name: 'embed-stubs',
  setup(build) {
    build.onLoad({ filter: /[\\/]codegen[\\/]stubSources\.ts$/ }, (args) => {
      const root = join(dirname(args.path), 'stubs');
      const files = readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => /^[\w.-]+\.(ts|py|php)$/.test(f)).sort().map((f) => `${d.name}/${f}`));
      const imports = files.map((f, i) => `import stub${i} from ${JSON.stringify(`./stubs/${f}?stub-text`)};`).join('\n');
      const table = files.map((f, i) => `  ${JSON.stringify(f)}: stub${i},`).join('\n');
      const contents = `${imports}
const files = {
${table}
};
export function stubSource(path) {
  const text = Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined;
  if (text === undefined) throw new Error('no stub file ' + path);
  return text;
}
`;
      return { contents, loader: 'js', resolveDir: dirname(args.path), watchFiles: files.map((f) => join(root, f)) };
    });
    // Imported by that module, a stub is text, whatever its extension (.ts included); imported as code (bodyFormats.ts
    // reads XML with the stub's own reader), it is compiled like any other module.
    build.onResolve({ filter: /\?stub-text$/ }, (args) => ({ path: join(args.resolveDir, args.path.replace(/\?stub-text$/, '')), namespace: 'stub-text' }));
    build.onLoad({ filter: /.*/, namespace: 'stub-text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};
