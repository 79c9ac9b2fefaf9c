// Turns an API request into one parameter tree, whatever the client sent: a JSON body (official Node client),
// form fields flattened as `a[b][c]=v` or `a:b:c=v` (Python/PHP clients, curl), or the query string.
// Also resolves multirequest result references such as `{1:result:objects:0:id}`.

export type ParamTree = Record<string, unknown>;

/** Splits `eventNotificationTemplate[contentParameters][0][key]` or `1:filter:idEqual` into path segments. */
export function splitParamKey(key: string): string[] {
  const segments: string[] = [];
  for (const part of key.split(':')) {
    const first = part.indexOf('[');
    if (first === -1) {
      segments.push(part);
      continue;
    }
    segments.push(part.slice(0, first));
    const rest = part.slice(first);
    for (const match of rest.matchAll(/\[([^\]]*)\]/g)) segments.push(match[1] ?? '');
  }
  return segments.filter((s, i) => s !== '' || i > 0);
}

/**
 * Builds the nested tree from flat pairs. `field__null=` sets the field to null (the clients' way of clearing
 * a property); `a[]=x` appends.
 */
export function unflattenParams(pairs: Iterable<[string, string]>): ParamTree {
  const root: ParamTree = {};
  for (const [rawKey, rawValue] of pairs) {
    let value: unknown = rawValue;
    const path = splitParamKey(rawKey);
    if (path.length === 0) continue;
    // `a__null=` and `a[b__null]=` both clear the member.
    const tail = path[path.length - 1]!;
    if (tail.endsWith('__null')) {
      path[path.length - 1] = tail.slice(0, -'__null'.length);
      value = null;
    }
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i]!;
      const next = node[segment];
      if (next === null || typeof next !== 'object') node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    let last = path[path.length - 1]!;
    if (last === '') last = String(Object.keys(node).length);
    node[last] = value;
  }
  return root;
}

/** `{"0": a, "1": b}` (form-flattened arrays) → `[a, b]`; arrays stay arrays; anything else → undefined. */
export function asArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.every((k) => /^\d+$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => (value as Record<string, unknown>)[k]);
    }
  }
  return undefined;
}

export class ParamsError extends Error {}

export function parseRequestParams(contentType: string | undefined, body: Buffer, query: URLSearchParams): ParamTree {
  const fromQuery = unflattenParams(query.entries());
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = body.toString('utf8');
  if (text.trim() === '') return fromQuery;
  if (type === 'application/json' || (type === '' && /^\s*\{/.test(text))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ParamsError(`the request body is not valid JSON (${err instanceof Error ? err.message : String(err)}); send JSON or form fields`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ParamsError('the JSON request body must be an object of parameters');
    }
    return { ...fromQuery, ...(parsed as ParamTree) };
  }
  if (type === 'multipart/form-data') {
    throw new ParamsError('multipart uploads are not supported by the sandbox; send JSON or form fields');
  }
  return { ...fromQuery, ...unflattenParams(new URLSearchParams(text).entries()) };
}

const REFERENCE = /\{(\d+):result((?::[^{}:]+)*)\}/g;

function lookup(results: unknown[], ordinal: number, path: string): unknown {
  let node: unknown = results[ordinal - 1];
  for (const segment of path.split(':').filter(Boolean)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Replaces `{N:result:path}` (1-based) inside every string of a sub-request with earlier results. */
export function resolveReferences(value: unknown, results: unknown[]): unknown {
  if (typeof value === 'string') {
    const whole = /^\{(\d+):result((?::[^{}:]+)*)\}$/.exec(value);
    if (whole) {
      const found = lookup(results, Number(whole[1]), whole[2] ?? '');
      return found === undefined ? value : found;
    }
    return value.replace(REFERENCE, (match, n: string, path: string) => {
      const found = lookup(results, Number(n), path ?? '');
      return found === undefined || (found !== null && typeof found === 'object') ? match : String(found);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, results));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]));
  }
  return value;
}

/** The sub-requests of a multirequest, in index order (0-based from the Node/Python clients, 1-based from PHP). */
export function splitMultiRequest(params: ParamTree): Array<{ service: string; action: string; params: ParamTree }> {
  const common: ParamTree = {};
  const indexed: Array<[number, ParamTree]> = [];
  for (const [key, value] of Object.entries(params)) {
    if (/^\d+$/.test(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      indexed.push([Number(key), value as ParamTree]);
    } else {
      common[key] = value;
    }
  }
  indexed.sort((a, b) => a[0] - b[0]);
  return indexed.map(([, sub]) => {
    const { service, action, ...rest } = sub;
    return { service: String(service ?? ''), action: String(action ?? ''), params: { ...common, ...rest } };
  });
}
