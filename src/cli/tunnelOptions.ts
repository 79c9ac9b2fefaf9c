// Tunnel options for `kwh listen`: open a localtunnel to the receiver (`--tunnel localtunnel`) or adopt a public
// URL the user already has (`--public-url`), and print one line per change so a terminal user sees every drop,
// reconnect and URL change as it happens.
import type { OptionSpecs, ParsedArgs } from './args';
import { UsageError, stringOption } from './args';
import { checkPublicUrl } from '../protocol/publicUrl';
import type { EndpointPlan } from '../core/session/endpointPlan';
import type { LocaltunnelChoice } from '../core/session/sessionTypes';
import { DEFAULT_LOCALTUNNEL_HOST, isValidLocaltunnelSubdomain, type TunnelManager } from '../core/tunnel';

export const tunnelOptionSpecs: OptionSpecs = {
  tunnel: { value: true, description: 'localtunnel | none (default none)' },
  'tunnel-host': { value: true, description: `tunnel server base URL (default ${DEFAULT_LOCALTUNNEL_HOST})` },
  subdomain: { value: true, description: 'requested tunnel subdomain (4–63 lowercase letters, digits, hyphens)' },
  'public-url': { value: true, description: 'use an existing public base URL (port forwarding, ngrok, a proxy) instead of a tunnel' },
};

/** What the tunnel options ask the session for: which endpoint, and the localtunnel client's choices. */
export interface CliTunnelPlan {
  endpoint: EndpointPlan;
  localtunnel?: LocaltunnelChoice;
}

/** Turns the tunnel options into the session's endpoint plan (no tunnel unless one is asked for); checks them all. */
export function tunnelPlanFromArgs(args: ParsedArgs): CliTunnelPlan {
  const kind = stringOption(args, 'tunnel');
  const publicUrl = stringOption(args, 'public-url');
  const tunnelHost = stringOption(args, 'tunnel-host');
  const subdomain = stringOption(args, 'subdomain');
  if (kind !== undefined && kind !== 'localtunnel' && kind !== 'none') {
    throw new UsageError(`--tunnel must be "localtunnel" or "none", got "${kind}"`);
  }
  if (publicUrl !== undefined) {
    if (kind === 'localtunnel') {
      throw new UsageError('--public-url and --tunnel localtunnel exclude each other: give a public URL you already have, or let kwh open a tunnel');
    }
    if (tunnelHost !== undefined || subdomain !== undefined) {
      throw new UsageError('--tunnel-host and --subdomain only apply to --tunnel localtunnel, not to --public-url');
    }
    return { endpoint: { startSandbox: false, tunnel: 'external', externalUrl: httpUrl(publicUrl, '--public-url'), warnings: [] } };
  }
  if (kind !== 'localtunnel') {
    if (tunnelHost !== undefined || subdomain !== undefined) {
      throw new UsageError('--tunnel-host and --subdomain need --tunnel localtunnel');
    }
    return { endpoint: { startSandbox: false, tunnel: 'none', warnings: [] } };
  }
  if (subdomain !== undefined && !isValidLocaltunnelSubdomain(subdomain)) {
    throw new UsageError(
      `--subdomain "${subdomain}" is not allowed by localtunnel servers: use 4–63 lowercase letters, digits and hyphens ` +
        '(no leading or trailing hyphen), e.g. kaltura-hooks-dev',
    );
  }
  return {
    endpoint: { startSandbox: false, tunnel: 'localtunnel', warnings: [] },
    localtunnel: {
      ...(tunnelHost !== undefined ? { host: httpUrl(tunnelHost, '--tunnel-host') } : {}),
      ...(subdomain !== undefined ? { subdomain } : {}),
    },
  };
}

function httpUrl(value: string, option: string): string {
  const checked = checkPublicUrl(value);
  if (!checked.ok) throw new UsageError(`${option} "${value}" ${checked.problem}`);
  return checked.url;
}

/** The line protocol `kwh listen` prints (also what the tests read). */
export function attachPrinter(manager: TunnelManager, print: (line: string) => void): void {
  let lastProbeOk = true;
  manager.on('up', (url, info) => {
    if (info.reconnected) print(`tunnel reconnected ${url} after ${info.downtimeMs ?? 0} ms`);
    else {
      print(`tunnel ${url}`);
      if (manager.status.kind === 'localtunnel') {
        print('tunnel note: senders with a browser-like User-Agent (Kaltura) must send the header Bypass-Tunnel-Reminder: 1');
      }
    }
  });
  manager.on('down', (reason) => print(`tunnel down: ${reason}`));
  manager.on('url-changed', (oldUrl, newUrl) => print(`tunnel url changed: ${oldUrl} -> ${newUrl}`));
  manager.on('probe', (result) => {
    if (!result.ok) print(`tunnel probe failed (${result.failure?.kind}): ${result.failure?.message}`);
    else if (!lastProbeOk) print(`tunnel probe ok again (${result.latencyMs} ms)`);
    lastProbeOk = result.ok;
  });
}
