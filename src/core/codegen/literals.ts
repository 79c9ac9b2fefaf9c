// The one way captured text enters generated code. A generated handler is run on the user's server, and every string
// in a capture (event types, keys, values, paths, template names) could have been chosen by whoever POSTed to the
// tunnel URL, so it is only ever written as an escaped literal of the target language, as a comment made by
// commentText(), or as an identifier that passed an allow-list. Nothing else in codegen/ may splice captured text.

/**
 * A TypeScript/JavaScript string literal for any string: JSON's escaping (valid JS) plus U+2028/U+2029, which JSON
 * leaves raw and which end a `//` comment or, in older engines, a string.
 */
export function tsLiteral(value: string): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/**
 * A Python string literal for any string: double-quoted, ASCII only. Backslash and quote are escaped, printable ASCII
 * stays, everything else becomes \xNN, \uNNNN or \UNNNNNNNN (so no newline, no `\N{…}` and no `"""` can appear).
 */
export function pyLiteral(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/**
 * A PHP single-quoted string literal: only `\` and `'` are special there (no `$` interpolation, no escapes, and
 * `?>` does not end PHP mode inside a string). Lone UTF-16 surrogates, which no UTF-8 file can hold, become U+FFFD.
 */
export function phpLiteral(value: string): string {
  const wellFormed = value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return "'" + wellFormed.replace(/[\\']/g, '\\$&') + "'";
}

/**
 * Captured text for a comment or docstring in any of the three languages: ASCII only, so nothing ends the comment's
 * line (no \n, \r, U+2028/2029, U+0085); `*` + `/` cannot close a block comment, `?` + `>` cannot leave PHP mode;
 * backslashes and double quotes are escaped, so inside a Python docstring it is still a valid literal that cannot
 * close the docstring. Cut to `max` characters.
 */
export function commentText(value: string, max = 80): string {
  const cut = value.length > max ? `${value.slice(0, max)}...` : value;
  let out = '';
  for (const ch of cut) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out.replace(/\*\//g, '*\\x2f').replace(/\?>/g, '?\\x3e');
}

/**
 * The route a stub answers on. Frameworks read a route as a pattern (Express `(`, `*` and `:name`, Flask `<x>`,
 * FastAPI `{x}`), so a captured path is used only when it is a plain path; anything else gets `fallback`.
 */
export function routePath(captured: string, fallback = '/webhook'): string {
  return /^\/[A-Za-z0-9._~\/-]{0,200}$/.test(captured) && !captured.includes('//') ? captured : fallback;
}

// Words that cannot name a type or a field in some target (TypeScript, Python, PHP), or that name a built-in the
// generated code itself uses. A captured name equal to one of them gets a suffix.
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private ' +
    'protected public static yield any boolean constructor declare get module require number set string symbol type from of async await ' +
    'never unknown object undefined ' +
    'False None True and assert def del elif except global is lambda nonlocal not or pass raise ' +
    'abstract array callable clone echo empty endfor endforeach endif endswitch endwhile eval exit final foreach goto include ' +
    'include_once insteadof isset list namespace print readonly require_once trait unset use xor fn match mixed iterable ' +
    'Array Buffer Date Error JSON Map Math Object Promise Record RegExp Set String Number Boolean Symbol Partial Readonly ' +
    'TypedDict Any Optional Union Literal NotRequired dict str int float bool bytes'
  ).split(' '),
);

/**
 * An identifier made from captured text, or `fallback`: only ASCII letters, digits and `_`, not starting with a
 * digit, at most 100 characters, and no reserved word of any target language.
 */
export function safeIdentifier(candidate: string | undefined, fallback: string): string {
  if (candidate === undefined || !/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(candidate)) return fallback;
  if (RESERVED.has(candidate) || RESERVED.has(candidate.toLowerCase())) return `${candidate}_`;
  return candidate;
}

/** Whether a captured key can stand as a plain property name in code (else it is quoted with the literal encoder). */
export function isPlainPropertyName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(name) && name !== '__proto__' && name !== 'constructor' && name !== 'prototype';
}
