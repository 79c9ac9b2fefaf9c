// The public address a sender posts to: a tunnel's, the user's own (ngrok, a reverse proxy), or a tunnel server's.
// Kaltura appends the template path to it and a GET template appends `?<data>` (kaltura-protocol.md §1.7), so it is
// an absolute http(s) URL with a host and without a query or fragment, kept without a trailing slash. Every place
// that takes such a URL (settings, the CLI's flags, the tunnel manager, template registration) checks it here and
// only adds which setting or flag it came from.

export type PublicUrlCheck = { ok: true; url: string } | { ok: false; problem: string };

/** The normalised URL, or what is wrong with it as a phrase that follows its name ("… is not a URL"). */
export function checkPublicUrl(input: string): PublicUrlCheck {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, problem: 'is not a URL; use an absolute http:// or https:// address, e.g. https://abc.example.com' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: `must be an absolute http:// or https:// URL, got ${url.protocol}` };
  if (url.hostname === '') return { ok: false, problem: 'must name a host, e.g. https://abc.example.com' };
  if (url.search || url.hash) return { ok: false, problem: 'must not carry a query or fragment (the sender appends its own path and query)' };
  return { ok: true, url: url.toString().replace(/\/+$/, '') };
}
