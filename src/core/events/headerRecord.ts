// The lower-cased header record of a CapturedRequest, derived from its wire-order pairs. Shared by the receiver
// (which builds it) and the event log (which stores only the pairs and rebuilds it on load).

/** Lower-cased names; repeated headers joined with ', ' (node:http would silently drop some repeats). */
export function joinHeaderPairs(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  // A plain object is much faster to build than a prototype-less dictionary; only a "__proto__" header name
  // needs the careful path (a plain assignment would change the prototype instead of adding a member).
  const headers: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i++) {
    const [name, value] = pairs[i]!;
    const key = name.toLowerCase();
    if (key === '__proto__') return joinHeaderPairsSafely(pairs);
    headers[key] = Object.prototype.hasOwnProperty.call(headers, key) ? `${headers[key]}, ${value}` : value;
  }
  return headers;
}

function joinHeaderPairsSafely(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return { ...headers };
}

/** True when `headers` is exactly what joinHeaderPairs(pairs) would build, so the log can leave it out. */
export function headersDeriveFromPairs(headers: Record<string, string>, pairs: ReadonlyArray<readonly [string, string]>): boolean {
  const rebuilt = joinHeaderPairs(pairs);
  let count = 0;
  for (const key in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, key)) continue;
    if (!Object.prototype.hasOwnProperty.call(rebuilt, key) || rebuilt[key] !== headers[key]) return false;
    count++;
  }
  for (const key in rebuilt) if (Object.prototype.hasOwnProperty.call(rebuilt, key)) count--;
  return count === 0;
}
