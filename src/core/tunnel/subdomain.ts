// The localtunnel server's subdomain rule (localtunnel/server `GET /:id`). Checked locally before connecting,
// because the client answers the server's 403 by retrying forever without a word.

/** Exactly the server's regex: 4–63 characters of lowercase letters, digits and inner hyphens. */
export const LOCALTUNNEL_SUBDOMAIN_PATTERN = /^(?:[a-z0-9][a-z0-9-]{4,63}[a-z0-9]|[a-z0-9]{4,63})$/;

export function isValidLocaltunnelSubdomain(subdomain: string): boolean {
  return LOCALTUNNEL_SUBDOMAIN_PATTERN.test(subdomain);
}

/** Throws an error naming the bad value and the rule; returns the subdomain unchanged when valid. */
export function assertValidLocaltunnelSubdomain(subdomain: string): string {
  if (!isValidLocaltunnelSubdomain(subdomain)) {
    throw new Error(
      `invalid tunnel subdomain "${subdomain}": use 4–63 lowercase letters, digits and hyphens ` +
        `(no leading or trailing hyphen), e.g. "kaltura-hooks-dev"`,
    );
  }
  return subdomain;
}
