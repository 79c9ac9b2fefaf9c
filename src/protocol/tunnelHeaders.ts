// Headers every request to a tunnelled URL must carry. localtunnel's public service answers browser-like
// User-Agents (Kaltura's sender uses a Mozilla/5.0 one) with a 401 "reminder" page unless this header is present
// on each request; Kaltura templates send it when it is in their customHeaders.
export interface TunnelHeader {
  key: string;
  value: string;
}

export const TUNNEL_BYPASS_HEADERS: readonly TunnelHeader[] = Object.freeze([
  Object.freeze({ key: 'Bypass-Tunnel-Reminder', value: '1' }),
]);
