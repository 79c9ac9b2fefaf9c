// Tunnel options for `kwh listen`: open a localtunnel to the receiver (`--tunnel localtunnel`) or adopt a public
// URL the user already has (`--public-url`), and print one line per change so a terminal user sees every drop,
// reconnect and URL change as it happens.
import type { OptionSpecs, ParsedArgs } from './args';
import { UsageError, stringOption } from './args';
import {
  createTunnelManager,
  DEFAULT_LOCALTUNNEL_HOST,
  isValidLocaltunnelSubdomain,
  type TunnelManager,
  type TunnelManagerOptions,
  type TunnelStatus,
  type TunnelTimings,
} from '../core/tunnel';

export const tunnelOptionSpecs: OptionSpecs = {
  tunnel: { value: true, description: 'localtunnel | none (default none)' },
  'tunnel-host': { value: true, description: `tunnel server base URL (default ${DEFAULT_LOCALTUNNEL_HOST})` },
  subdomain: { value: true, description: 'requested tunnel subdomain (4–63 lowercase letters, digits, hyphens)' },
  'public-url': { value: true, description: 'use an existing public base URL (port forwarding, ngrok, a proxy) instead of a tunnel' },
};

export interface RunningTunnel {
  /** The current public URL (changes on a reconnect with a new id). */
  readonly url: string;
  readonly status: TunnelStatus;
  /** For callers that re-point registrations on `url-changed`. */
  readonly manager: TunnelManager;
  close(): Promise<void>;
}

/** Not CLI options: lets tests run the same code against a loopback tunnel server with fast timings. */
export type TunnelOverrides = TunnelTimings & { probeVia?: string };

/** Starts the tunnel the options ask for and prints `tunnel https://…` lines; undefined when none is asked for. */
export async function startTunnelFromArgs(
  args: ParsedArgs,
  target: { host: string; port: number },
  print: (line: string) => void,
  overrides: TunnelOverrides = {},
): Promise<RunningTunnel | undefined> {
  const options = tunnelManagerOptionsFromArgs(args, target);
  if (!options) return undefined;
  let manager: TunnelManager;
  try {
    manager = createTunnelManager({ ...options, ...overrides } as TunnelManagerOptions);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  attachPrinter(manager, print);
  try {
    await manager.start();
  } catch (err) {
    await manager.stop();
    throw err;
  }
  return {
    get url() {
      return manager.status.url ?? '';
    },
    get status() {
      return manager.status;
    },
    manager,
    close: () => manager.stop(),
  };
}

/** Turns the CLI options into manager options; undefined for `--tunnel none` without `--public-url`. */
export function tunnelManagerOptionsFromArgs(
  args: ParsedArgs,
  target: { host: string; port: number },
): TunnelManagerOptions | undefined {
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
    return { kind: 'external', publicUrl };
  }
  if (kind !== 'localtunnel') {
    if (tunnelHost !== undefined || subdomain !== undefined) {
      throw new UsageError('--tunnel-host and --subdomain need --tunnel localtunnel');
    }
    return undefined;
  }
  if (subdomain !== undefined && !isValidLocaltunnelSubdomain(subdomain)) {
    throw new UsageError(
      `--subdomain "${subdomain}" is not allowed by localtunnel servers: use 4–63 lowercase letters, digits and hyphens ` +
        '(no leading or trailing hyphen), e.g. kaltura-hooks-dev',
    );
  }
  return {
    kind: 'localtunnel',
    localPort: target.port,
    localHost: target.host,
    ...(tunnelHost !== undefined ? { host: tunnelHost } : {}),
    ...(subdomain !== undefined ? { subdomain } : {}),
  };
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
