// Decides what "Start" brings up and which URL templates should point at. Pure (no vscode import) so it is unit-tested.
// The sandbox runs in-process and can reach the receiver on loopback, so it never needs a tunnel; a live Kaltura
// account sends from Kaltura's servers and needs a public URL (localtunnel, an external one the user runs, or the
// URL VS Code's own port forwarding gives the receiver in a Codespace or code-server).
import { checkPublicUrl } from '../../protocol/publicUrl';

export type PlannedTunnel = 'none' | 'localtunnel' | 'external' | 'portForwarding';

export interface EndpointPlanInput {
  accountMode: 'sandbox' | 'live';
  tunnelProvider: 'localtunnel' | 'external' | 'portForwarding' | 'none';
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
  const checked = checkPublicUrl(raw);
  if (!checked.ok) throw new EndpointPlanError(`kalturaWebhooks.tunnel.publicUrl "${raw}" ${checked.problem}`);
  return checked.url;
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
  if (input.tunnelProvider === 'portForwarding') return { startSandbox: false, tunnel: 'portForwarding', warnings: [] };
  if (input.tunnelProvider === 'none') {
    return {
      startSandbox: false,
      tunnel: 'none',
      warnings: [
        "no tunnel: Kaltura's servers cannot reach 127.0.0.1, so registered templates will not deliver; set kalturaWebhooks.tunnel.provider to localtunnel, external or portForwarding",
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

export interface ForwardedUrl {
  /** The base URL senders should call (no trailing slash). */
  url: string;
  /** What the user must know before Kaltura can use it (each says what to do). */
  warnings: string[];
}

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const CODESPACES_HOST = /\.(?:app\.github\.dev|githubpreview\.dev)$/i;

/**
 * Judges what vscode.env.asExternalUri made of the receiver's loopback URL: in a Codespace a forwarded-port URL (private
 * until the user makes it public), in code-server its /proxy/PORT/ path, in a local or Remote-SSH window a URL on the
 * user's own machine, which Kaltura's servers cannot reach.
 */
export function judgeForwardedUrl(external: string, receiverPort: number): ForwardedUrl {
  const parsed = new URL(external);
  const url = parsed.toString().replace(/\/+$/, '');
  const warnings: string[] = [];
  if (CODESPACES_HOST.test(parsed.hostname)) {
    warnings.push(
      `Codespaces forwards port ${receiverPort} as private, so Kaltura gets a sign-in page instead of the receiver; ` +
        `make it public: Ports view, right-click port ${receiverPort}, Port Visibility, Public`,
    );
  } else if (LOOPBACK_HOST.test(parsed.hostname)) {
    warnings.push(
      `VS Code forwarded the receiver to ${url}, an address on this machine: senders here reach it, Kaltura's servers do not; ` +
        'for a live account use the localtunnel provider or an external tunnel, or run VS Code in a Codespace or a public code-server',
    );
  }
  return { url, warnings };
}
