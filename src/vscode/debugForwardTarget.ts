// The launch-configuration attribute that forwards deliveries while a debug session runs, like the Stripe
// extension's `stripeWebhooksForwardingUrl`: `"kalturaWebhooksForwardTo": "http://localhost:3000/webhooks/kaltura"`.
// Pure, so the activation bundle can read it without loading the core.

export const DEBUG_FORWARD_ATTRIBUTE = 'kalturaWebhooksForwardTo';

export type DebugForwardTarget = { url: string } | { error: string } | undefined;

/** What a debug configuration asks for: nothing, an http(s) URL, or why the value cannot be used. */
export function debugForwardTarget(configuration: Record<string, unknown> | undefined): DebugForwardTarget {
  const value = configuration?.[DEBUG_FORWARD_ATTRIBUTE];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return { error: `${DEBUG_FORWARD_ATTRIBUTE} must be a URL string, got ${typeof value}` };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { error: `${DEBUG_FORWARD_ATTRIBUTE} "${value}" is not a URL; use your app's webhook URL, e.g. http://localhost:3000/webhooks/kaltura` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `${DEBUG_FORWARD_ATTRIBUTE} must be http:// or https://, got ${url.protocol}` };
  if (url.username || url.password) return { error: `${DEBUG_FORWARD_ATTRIBUTE} must not carry credentials (they would sit in launch.json)` };
  return { url: url.toString() };
}
