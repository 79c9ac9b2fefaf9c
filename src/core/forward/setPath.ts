// `--set path=value` for custom triggers and edited replays: a dotted path into a JSON value. The value is JSON when it
// parses as JSON (7, true, null, "text", {"a":1}), else the text as given. Paths that would reach an object's
// prototype are refused.

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

export class SetPathError extends Error {}

/** Parses `a.b.c=value`. */
export function parseSetting(setting: string): { path: string[]; value: unknown } {
  const eq = setting.indexOf('=');
  if (eq <= 0) throw new SetPathError(`--set takes path=value (for example object.status=7), got "${setting}"`);
  const path = setting.slice(0, eq).split('.');
  if (path.some((p) => p === '')) throw new SetPathError(`--set path "${setting.slice(0, eq)}" has an empty segment`);
  const bad = path.find((p) => FORBIDDEN.has(p));
  if (bad) throw new SetPathError(`--set path segment "${bad}" is not allowed`);
  const raw = setting.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // not JSON: the text itself
  }
  return { path, value };
}

/** Applies each setting to `target` in order, creating objects on the way; array indexes are plain segments. */
export function applySettings(target: Record<string, unknown>, settings: readonly string[]): void {
  for (const setting of settings) {
    const { path, value } = parseSetting(setting);
    let node: Record<string, unknown> = target;
    for (const key of path.slice(0, -1)) {
      const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else {
        const created: Record<string, unknown> = {};
        node[key] = created;
        node = created;
      }
    }
    node[path[path.length - 1]!] = value;
  }
}
