// What exports hide by default: credentials in headers (Authorization, cookies, API keys, anything secret-like) and
// secret-like query parameters (a Kaltura `ks` is a session credential). Signatures stay: they are hashes, and a
// replayed request needs them to verify.

/** true (default): hide the built-in list; false: hide nothing; string[]: the built-in list plus these header names. */
export type RedactOption = boolean | string[];

export const REDACTED = '<redacted>';

const ALWAYS_SECRET = /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token)$/i;
const SECRET_LIKE_NAME = /(secret|token|passw(?:or)?d|api[-_]?key|credential|session|private)/i;
const SECRET_QUERY_PARAM = /^(ks|secret|admin_?secret|token|access_?token|password|passwd|api_?key|apikey)$/i;

export function isSecretHeader(name: string, option: RedactOption = true): boolean {
  if (option === false) return false;
  if (Array.isArray(option)) {
    const lower = name.toLowerCase();
    if (option.some((n) => n.toLowerCase() === lower)) return true;
  }
  // Case-insensitive patterns rather than a lower-cased copy of every header name of every request.
  return ALWAYS_SECRET.test(name) || SECRET_LIKE_NAME.test(name);
}

function redactValue(name: string, value: string): string {
  // Keep the auth scheme visible ("Basic <redacted>") so the reader still sees what kind of credential was sent.
  if (/^(proxy-)?authorization$/i.test(name)) {
    const scheme = /^\s*(\S+)\s+\S/.exec(value);
    if (scheme) return `${scheme[1]} ${REDACTED}`;
  }
  return REDACTED;
}

/** The pairs with secret values replaced; `pairs` itself (not a copy) when none is secret. */
export function redactHeaderPairs(pairs: Array<[string, string]>, option: RedactOption = true): Array<[string, string]> {
  if (!pairs.some(([name]) => isSecretHeader(name, option))) return pairs;
  return pairs.map(([name, value]) => [name, isSecretHeader(name, option) ? redactValue(name, value) : value]);
}

export function redactHeaderRecord(headers: Record<string, string>, option: RedactOption = true): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretHeader(name, option) ? redactValue(name, value) : value;
  return out;
}

/** Replaces the values of secret-like query parameters in a path, leaving everything else byte-for-byte. */
export function redactPathQuery(path: string, option: RedactOption = true): string {
  if (option === false) return path;
  const q = path.indexOf('?');
  if (q === -1) return path;
  const query = path.slice(q + 1).split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq === -1) return part;
    let name = part.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // keep the raw name
    }
    return SECRET_QUERY_PARAM.test(name) ? `${part.slice(0, eq)}=${encodeURIComponent(REDACTED)}` : part;
  });
  return `${path.slice(0, q)}?${query.join('&')}`;
}

