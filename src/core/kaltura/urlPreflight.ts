// Before a template is pointed at a URL: would Kaltura's servers reach it? Hosted Kaltura refuses loopback and
// private hosts (kaltura-protocol.md §1.7), and cannot reach them anyway. A sandbox or an on-prem server on this
// machine or network can, so the check applies only when the service URL itself is public.
import { isIP } from 'node:net';

export type HostReach = 'loopback' | 'private' | 'public';

const IPV4_PRIVATE: Array<[number, number, HostReach]> = [
  // [network, prefix length, kind]
  [0x7f000000, 8, 'loopback'],
  [0x0a000000, 8, 'private'],
  [0xac100000, 12, 'private'],
  [0xc0a80000, 16, 'private'],
  [0xa9fe0000, 16, 'private'], // link-local
  [0x64400000, 10, 'private'], // carrier-grade NAT
  [0x00000000, 8, 'private'],
];

function ipv4Value(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0) >>> 0;
}

/** Where a host name or address points, as far as can be told without resolving it. */
export function hostReach(hostname: string): HostReach {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (host.endsWith('.local') || host.endsWith('.internal') || host.endsWith('.lan') || !host.includes('.') && isIP(host) === 0) return 'private';
  const version = isIP(host);
  if (version === 4) {
    const value = ipv4Value(host);
    for (const [network, prefix, kind] of IPV4_PRIVATE) {
      const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
      if ((value & mask) >>> 0 === network) return kind;
    }
    return 'public';
  }
  if (version === 6) {
    if (host === '::1') return 'loopback';
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped) return hostReach(mapped[1]!);
    if (/^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host === '::') return 'private';
    return 'public';
  }
  return 'public';
}

/**
 * Why Kaltura at `serviceUrl` would not deliver to `webhookUrl`, with the fix; undefined when it can. A service
 * URL on loopback or a private network (the sandbox, an on-prem server) reaches such hosts, so nothing is said.
 */
export function webhookUrlRefusal(serviceUrl: string, webhookUrl: string): string | undefined {
  let service: URL;
  let hook: URL;
  try {
    service = new URL(serviceUrl);
    hook = new URL(webhookUrl);
  } catch {
    return undefined;
  }
  if (hostReach(service.hostname) !== 'public') return undefined;
  const reach = hostReach(hook.hostname);
  if (reach === 'public') return undefined;
  const where = reach === 'loopback' ? 'an address on this machine' : 'an address on a private network';
  return (
    `Kaltura at ${service.host} cannot deliver to ${hook.origin}: it is ${where}, which hosted Kaltura refuses and cannot reach. ` +
    'Start the tunnel (tunnel provider localtunnel), or set a public URL that forwards to the receiver ' +
    '(kalturaWebhooks.tunnel.publicUrl in the editor, --public-url for kwh register)'
  );
}
