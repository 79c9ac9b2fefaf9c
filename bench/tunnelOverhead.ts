// Tunnel overhead (issue #7, benchmark 5): the same signed notification sent N times to the receiver directly and
// through the loopback localtunnel server with the REAL localtunnel client (test/support/fakeLocaltunnelServer +
// createTunnelManager), interleaved request by request so both paths see the same machine load. Each request
// opens a fresh connection on both paths (agent: false), as Kaltura's sender does.
import { request } from 'node:http';
import { createEventStore } from '../src/core/events/eventStore';
import { startReceiver } from '../src/core/receiver/receiverServer';
import { createTunnelManager } from '../src/core/tunnel';
import { FakeLocaltunnelServer } from '../test/support/fakeLocaltunnelServer';
import { BENCH_SECRET, benchSample } from './payload';
import { envNumber, median, percentile, round } from './stats';

export interface TunnelResult {
  requests: number;
  directP50Ms: number;
  directP99Ms: number;
  tunnelP50Ms: number;
  tunnelP99Ms: number;
  /** Median tunnel latency / median direct latency. */
  tunnelOverheadRatio: number;
  /** Median of the per-pair differences. */
  addedMs: number;
}

function timedPost(port: number, hostHeader: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/kaltura/webhook', agent: false, headers: { ...headers, host: hostHeader } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode} via ${hostHeader}`))));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer within 10 s via ${hostHeader}`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function runTunnelOverhead(log: (line: string) => void = console.log): Promise<TunnelResult> {
  const n = envNumber('KWH_BENCH_TUNNEL_REQUESTS', 300);
  log(`tunnel overhead: ${n} signed requests direct vs through the loopback localtunnel server (real client), interleaved`);
  const store = createEventStore({ capacity: 1000 });
  const receiver = await startReceiver({ store, credentials: () => ({ kalturaSecrets: [{ label: 'bench', secret: BENCH_SECRET }], basicAuth: [] }) });
  const server = await FakeLocaltunnelServer.start({ maxConnCount: 10 });
  const manager = createTunnelManager({
    kind: 'localtunnel',
    host: server.controlUrl,
    localPort: receiver.port,
    localHost: receiver.host,
    probeVia: server.publicOrigin,
    connectTimeoutMs: 5000,
    probeIntervalMs: 0,
  });
  try {
    const url = await manager.start();
    const id = new URL(url).hostname.split('.')[0]!;
    await server.waitFor(() => server.socketCount(id) >= 1, 'a tunnel socket', 10_000);
    const sample = benchSample();
    const headers = { ...sample.headers };
    const tunnelHost = `${id}.localhost:${server.publicPort}`;
    const directHost = `127.0.0.1:${receiver.port}`;
    for (let i = 0; i < 20; i++) {
      await timedPost(receiver.port, directHost, headers, sample.body);
      await timedPost(server.publicPort, tunnelHost, headers, sample.body);
    }
    const direct: number[] = [];
    const tunnel: number[] = [];
    for (let i = 0; i < n; i++) {
      // Alternate the order inside each pair.
      if (i % 2 === 0) {
        direct.push(await timedPost(receiver.port, directHost, headers, sample.body));
        tunnel.push(await timedPost(server.publicPort, tunnelHost, headers, sample.body));
      } else {
        tunnel.push(await timedPost(server.publicPort, tunnelHost, headers, sample.body));
        direct.push(await timedPost(receiver.port, directHost, headers, sample.body));
      }
    }
    const result: TunnelResult = {
      requests: n,
      directP50Ms: round(median(direct), 2),
      directP99Ms: round(percentile(direct, 99), 2),
      tunnelP50Ms: round(median(tunnel), 2),
      tunnelP99Ms: round(percentile(tunnel, 99), 2),
      tunnelOverheadRatio: round(median(tunnel) / median(direct), 2),
      addedMs: round(median(tunnel.map((t, i) => t - direct[i]!)), 2),
    };
    log(`  direct p50 ${result.directP50Ms} ms p99 ${result.directP99Ms} ms; tunnel p50 ${result.tunnelP50Ms} ms p99 ${result.tunnelP99Ms} ms; ratio ${result.tunnelOverheadRatio}, +${result.addedMs} ms per request`);
    return result;
  } finally {
    await manager.stop();
    await server.close();
    await receiver.close();
    await store.close();
  }
}

if (require.main === module) {
  runTunnelOverhead().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
