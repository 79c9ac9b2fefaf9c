// Decides what "Start" brings up and which URL templates should point at. Pure (no vscode import) so it is unit-tested.
// The sandbox runs in-process and can reach the receiver on loopback, so it never needs a tunnel; a live Kaltura
// account sends from Kaltura's servers and needs a public URL (localtunnel or an external one the user runs).

export type PlannedTunnel = 'none' | 'localtunnel' | 'external';

export interface EndpointPlanInput {
  accountMode: 'sandbox' | 'live';
  tunnelProvider: 'localtunnel' | 'external' | 'none';
  /** kalturaWebhooks.tunnel.publicUrl (used with the `external` provider). */
  publicUrl: string;
}

export interface EndpointPlan {
  startSandbox: boolean;
  tunnel: PlannedTunnel;
  /** Base URL given by the user for the external provider, normalised without a trailing slash. */
  externalUrl?: string;
  /** Things the user should know before relying on the plan (each says what to change). */
  warnings: string[];
}

/**
 * Paths shown to humans for each sender. The receiver classifies by content, not path; Kaltura templates get
 * `/kaltura/<systemName>` from the core registration (KALTURA_TEMPLATE_PATH_PREFIX), so their base is the root.
 */
export const WEBHOOK_PATHS = { base: '', enablex: '/enablex' } as const;

export class EndpointPlanError extends Error {}

export function normalisePublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointPlanError(
      `kalturaWebhooks.tunnel.publicUrl "${raw}" is not a URL; set it to the public https:// address that forwards to the receiver`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EndpointPlanError(`kalturaWebhooks.tunnel.publicUrl must start with https:// (got ${url.protocol})`);
  }
  return url.toString().replace(/\/+$/, '');
}

export function planEndpoint(input: EndpointPlanInput): EndpointPlan {
  if (input.accountMode === 'sandbox') {
    return { startSandbox: true, tunnel: 'none', warnings: [] };
  }
  if (input.tunnelProvider === 'external') {
    if (!input.publicUrl) {
      throw new EndpointPlanError(
        'tunnel provider is "external" but kalturaWebhooks.tunnel.publicUrl is empty; set it to the public URL that forwards to the receiver, or choose the localtunnel provider',
      );
    }
    return { startSandbox: false, tunnel: 'external', externalUrl: normalisePublicUrl(input.publicUrl), warnings: [] };
  }
  if (input.tunnelProvider === 'none') {
    return {
      startSandbox: false,
      tunnel: 'none',
      warnings: [
        "no tunnel: Kaltura's servers cannot reach 127.0.0.1, so registered templates will not deliver; set kalturaWebhooks.tunnel.provider to localtunnel or external",
      ],
    };
  }
  return { startSandbox: false, tunnel: 'localtunnel', warnings: [] };
}

/**
 * The base URL senders should call: the receiver's loopback URL for the sandbox, the public URL otherwise.
 * Undefined when a live account has no public URL yet (the caller explains how to get one).
 */
export function webhookUrlFor(
  plan: EndpointPlan,
  receiverUrl: string | undefined,
  publicUrl: string | undefined,
  kind: keyof typeof WEBHOOK_PATHS = 'base',
): string | undefined {
  const base = plan.startSandbox ? receiverUrl : (publicUrl ?? plan.externalUrl);
  if (!base) return undefined;
  return base.replace(/\/+$/, '') + WEBHOOK_PATHS[kind];
}
