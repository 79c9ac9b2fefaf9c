// Child process of the ingest-latency benchmark: an open-loop load generator that sends RATE signed requests per
// second for SECONDS to URL over keep-alive sockets, in 10 ms ticks, and reports how many got a 200.
import { Agent, request } from 'node:http';
import { benchSample } from './payload';

async function main(): Promise<void> {
  const [url, rateRaw, secondsRaw] = process.argv.slice(2);
  const target = new URL(url!);
  const rate = Number(rateRaw);
  const seconds = Number(secondsRaw);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const template = benchSample({ jobId: 1_000_000_000 });
  const text = template.body.toString('utf8');
  const { kalturaSignature } = await import('../src/protocol/signing');
  const total = Math.round(rate * seconds);
  let sent = 0;
  let ok = 0;
  let failed = 0;
  const send = (i: number) => {
    const body = Buffer.from(text.replace('1000000000', String(1_000_000_000 + i)), 'utf8');
    const headers = { ...template.headers, 'X-KALTURA-SIGNATURE': kalturaSignature('b3nchb3nchb3nchb3nchb3nchb3nch00', body, 'sha1'), 'Content-Length': String(body.length) };
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? ok++ : failed++));
    });
    req.on('error', () => failed++);
    req.end(body);
  };
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      // Catch up to where the schedule says we should be (timers on a loaded machine fire late).
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (sent < due) send(sent++);
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  const deadline = Date.now() + 10_000;
  while (ok + failed < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  agent.destroy();
  process.send!({ done: { sent, ok, failed, seconds: (performance.now() - started) / 1000 } }, () => process.exit(0));
}

void main();
