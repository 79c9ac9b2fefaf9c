// The English bundle of the runtime strings (what `vscode.l10n.t` is called with), l10n/bundle.l10n.json: the file
// a translator copies to bundle.l10n.<locale>.json. `node scripts/l10nBundle.mjs` writes it; a unit test fails when
// it is out of date or when a call's message is not a literal the bundle can hold.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE = join(ROOT, 'l10n', 'bundle.l10n.json');
const CALL = 'l10n.t(';

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    return d.isDirectory() ? sources(path) : d.name.endsWith('.ts') ? [path] : [];
  });
}

/** A single-quoted TypeScript string literal at `at` (the quote), as its value and where it ends; undefined if none. */
function literalAt(text, at) {
  if (text[at] !== "'") return undefined;
  let i = at + 1;
  let raw = '';
  while (i < text.length && text[i] !== "'") {
    if (text[i] === '\n') return undefined;
    if (text[i] === '\\') { raw += text.slice(i, i + 2); i += 2; } else raw += text[i++];
  }
  if (i >= text.length) return undefined;
  // The escapes the sources use (\\, \', \n, \t, \uXXXX) read the same in JSON once \' is a plain quote.
  const value = JSON.parse(`"${raw.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`);
  return { value, end: i + 1 };
}

/** Every message passed to vscode.l10n.t under src/, and the calls whose message is not a plain literal. */
export function extractMessages(root = ROOT) {
  const messages = new Set();
  const problems = [];
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (let at = text.indexOf(CALL); at !== -1; at = text.indexOf(CALL, at + CALL.length)) {
      let start = at + CALL.length;
      while (/\s/.test(text[start] ?? '')) start++;
      const literal = literalAt(text, start);
      const line = text.slice(0, at).split('\n').length;
      if (!literal || !/^\s*[,)]/.test(text.slice(literal.end))) problems.push(`${relative(root, file)}:${line}: the message is not one single-quoted literal`);
      else messages.add(literal.value);
    }
  }
  return { messages: [...messages].sort(), problems };
}

export function bundleText(messages) {
  return `${JSON.stringify(Object.fromEntries(messages.map((m) => [m, m])), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { messages, problems } = extractMessages();
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  writeFileSync(BUNDLE, bundleText(messages));
  console.log(`${relative(ROOT, BUNDLE)}: ${messages.length} messages`);
}
