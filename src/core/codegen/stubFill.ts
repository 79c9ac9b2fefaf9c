// Stubs are real source files (./stubs/<language>/), type-checked or compiled as code in the tests; a generated file
// is one of them with its includes expanded and its holes filled. A hole is a token that is valid code where it
// stands: an identifier (HoleRoot, holeUserFunction, hole_user_function), a quoted constant ('HOLE_PATH'), or a word
// in a comment (HOLE_DESCRIPTION). The values are made by the encoders of literals.ts or are allow-listed names:
// captured text never reaches a stub any other way.
import { stubSource } from './stubSources';
import type { CodegenLanguage } from './types';

export interface FillOptions {
  /** Token → text. A quoted token ('HOLE_PATH' or "HOLE_PATH") is replaced together with its quotes. */
  holes: Record<string, string>;
  /** Include slots: a `stub:include tamper` line takes the file named here. */
  slots?: Record<string, string>;
}

/** A line for the repository only (imports between the parts, notes on a part): not in the generated file. */
const DROP = /\bstub:drop\b/;
/** A line replaced by another stub file (or the file an include slot names), expanded the same way. */
const INCLUDE = /\bstub:include ([\w.-]+)\s*$/;
const HOLE = /(['"])(HOLE_[A-Z0-9_]+)\1|\b(HOLE_[A-Z0-9_]+|Hole[A-Z][A-Za-z0-9]*|hole[A-Z][A-Za-z0-9]*|hole_[a-z0-9_]+)\b/g;

function expand(language: CodegenLanguage, file: string, slots: Record<string, string>, trail: string[]): string {
  if (trail.includes(file)) throw new Error(`stub ${language}/${file} includes itself: ${[...trail, file].join(' -> ')}`);
  const out: string[] = [];
  for (const line of stubSource(`${language}/${file}`).split(/(?<=\n)/)) {
    if (DROP.test(line)) continue;
    const include = INCLUDE.exec(line);
    if (!include) {
      out.push(line);
      continue;
    }
    const name = include[1]!;
    const target = /\.[a-z]+$/.test(name) ? name : slots[name];
    if (target === undefined) throw new Error(`stub ${language}/${file}: no file for the include slot "${name}"`);
    out.push(expand(language, target, slots, [...trail, file]));
  }
  return out.join('');
}

/** The generated text of `stubs/<language>/<file>`; throws on a hole without a value. */
export function fillStub(language: CodegenLanguage, file: string, options: FillOptions): string {
  const text = expand(language, file, options.slots ?? {}, []);
  // One pass: a value is never scanned again, so text in it that looks like a hole stays as it is.
  return text.replace(HOLE, (_token, _quote: string | undefined, quoted: string | undefined, bare: string | undefined) => {
    const key = (quoted ?? bare)!;
    const value = options.holes[key];
    if (value === undefined) throw new Error(`stub ${language}/${file}: no value for the hole ${key}`);
    return value;
  });
}
