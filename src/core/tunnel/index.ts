// Public surface of the tunnel module.
export { TUNNEL_BYPASS_HEADERS, type TunnelHeader } from '../../protocol/tunnelHeaders';
export { createTunnelManager, DEFAULT_LOCALTUNNEL_HOST, type TunnelManager } from './tunnelManager';
export {
  probePublicUrl,
  classifyProbeAnswer,
  probeUrlFor,
  DEFAULT_PROBE_HEADERS,
  type ProbeFailure,
  type SelfProbeOptions,
} from './selfProbe';
export {
  LOCALTUNNEL_SUBDOMAIN_PATTERN,
  isValidLocaltunnelSubdomain,
  assertValidLocaltunnelSubdomain,
} from './subdomain';
export { fullJitterDelay, type BackoffOptions } from './backoff';
export { TunnelConnectError, grantTimeoutMessage } from './localtunnelGrant';
export type * from './types';
