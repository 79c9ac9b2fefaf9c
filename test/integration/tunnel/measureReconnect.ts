// Measures how long the workbench is unreachable after the tunnel server drops the tunnel, with the DEFAULT
// timings (backoff base 500 ms, full jitter), on loopback with the real client:
//   node --import tsx test/integration/tunnel/measureReconnect.ts [drops=20] [isolated|flapping]
// isolated: every drop comes after a stable period (the backoff starts over; stableAfterMs 0 stands in for the
// 60 s wait). flapping: drops back to back, so the backoff grows as it should for a server that keeps failing.
// Prints, per drop, `down→up` (the manager's downtimeMs) and `drop→delivered` (until a public request gets 200).
import { createTunnelManager } from '../../../src/core/tunnel';
import { FakeLocaltunnelServer } from '../../support/fakeLocaltunnelServer';
import { LocalApp } from './localApp';

async function main(): Promise<void> {
  const drops = Number(process.argv[2] ?? 20);
  const mode = process.argv[3] === 'flapping' ? 'flapping' : 'isolated';
  const server = await FakeLocaltunnelServer.start({ maxConnCount: 3 });
  const app = await LocalApp.start();
  const m = createTunnelManager({
    kind: 'localtunnel',
    host: server.controlUrl,
    localPort: app.port,
    localHost: '127.0.0.1',
    probeVia: server.publicOrigin,
    probeIntervalMs: 0,
    ...(mode === 'isolated' ? { stableAfterMs: 0 } : {}),
  });
  const downtimes: number[] = [];
  const delivered: number[] = [];
  try {
    let url = await m.start();
    for (let i = 0; i < drops; i++) {
      const id = new URL(url).hostname.split('.')[0]!;
      await server.waitForSockets(id, 3);
      const up = new Promise<[string, number]>((resolve) => m.once('up', (u, info) => resolve([u, info.downtimeMs ?? -1])));
      const t0 = performance.now();
      server.dropClient(id);
      const [newUrl, downtime] = await up;
      url = newUrl;
      const newId = new URL(url).hostname.split('.')[0]!;
      for (;;) {
        const res = await server.publicRequest(newId, { body: `drop ${i}` });
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      delivered.push(performance.now() - t0);
      downtimes.push(downtime);
    }
  } finally {
    await m.stop();
    await server.close();
    await app.close();
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(0);
    return `min ${s[0]!.toFixed(0)} / median ${q(0.5)} / p90 ${q(0.9)} / max ${s.at(-1)!.toFixed(0)} ms`;
  };
  console.log(`drops: ${drops}, ${mode} (attempt n of an outage waits random(0, min(30 s, 500 ms·2^n)))`);
  console.log(`down→up:        ${stats(downtimes)}`);
  console.log(`drop→delivered: ${stats(delivered)}`);
}

void main();
