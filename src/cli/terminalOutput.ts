// Everything kwh prints goes through here. Payloads, template names and API error messages are text anyone could
// have chosen; printed raw, an escape sequence can recolour, rewrite or hide lines, or (OSC 52) write the user's
// clipboard. Control characters are printed as visible escapes instead.

// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides that reorder what a line shows.
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What JSON.stringify leaves raw but a terminal would act on.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text that may span lines (help, messages): newlines and tabs stay, every other control becomes visible. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, visible);
}

/** One line of output built from client text: newlines too become visible, so no one can forge a line. */
export function terminalLine(text: string): string {
  return text.replace(UNSAFE_IN_LINE, visible);
}

/** JSON for a terminal or a pipe: still valid JSON (the escapes are JSON's own), with nothing a terminal acts on. */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function writeOut(text: string): void {
  process.stdout.write(terminalText(text));
}

export function writeErr(text: string): void {
  process.stderr.write(terminalText(text));
}
