// Tunnel options for `kwh listen`. Placeholder until the tunnel module lands: `--tunnel none` only.
import type { OptionSpecs, ParsedArgs } from './args';
import { UsageError, stringOption } from './args';

export const tunnelOptionSpecs: OptionSpecs = {
  tunnel: { value: true, description: 'localtunnel | none (default none)' },
  'tunnel-host': { value: true, description: 'tunnel server base URL' },
  subdomain: { value: true, description: 'requested tunnel subdomain' },
  'public-url': { value: true, description: 'use an existing public base URL instead of a tunnel' },
};

export interface RunningTunnel {
  close(): Promise<void>;
}

/** Starts the tunnel the options ask for and prints `tunnel https://…` lines; undefined when none is asked for. */
export async function startTunnelFromArgs(
  args: ParsedArgs,
  _target: { host: string; port: number },
  _print: (line: string) => void,
): Promise<RunningTunnel | undefined> {
  const kind = stringOption(args, 'tunnel') ?? 'none';
  if (kind === 'none' && !stringOption(args, 'public-url')) return undefined;
  throw new UsageError('tunnels are not available in this build yet');
}
