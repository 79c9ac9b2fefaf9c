// Receiver throughput vs a bare node:http server answering 200, same run, same payload (the 303-byte Kaltura
// vector body, signed), same connections. The receiver runs with verification and persistence on.
// Each server runs in its own child process so autocannon's CPU use is not billed to it.
//   node --import tsx bench/receiverThroughput.ts            (KWH_BENCH_SECONDS=5, KWH_BENCH_CONNECTIONS=50)
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from '../src/core/events/eventStore';
import { eventLogPath } from '../src/core/events/eventLog';
import { startReceiver } from '../src/core/receiver/receiverServer';
import { vectors } from '../test/support/vectors';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<AutocannonResult>;
// autocannon ships no type declarations; this is the slice used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const vector = vectors.httpNotification.find((v) => v.hashAlgoHeader === 'sha1')!;
const headers = { 'content-type': vector.contentType, 'x-kaltura-signature': vector.signature, 'x-kaltura-hash-algo': 'sha1' };

type Kind = 'bare' | 'receiver';
interface ServerStats {
  /** Requests answered (bare) or events persisted to the log (receiver). */
  events: number;
  logBytes: number;
}

async function serve(kind: Kind): Promise<void> {
  let stats: () => Promise<ServerStats>;
  let port: number;
  if (kind === 'bare') {
    let count = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        count++;
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('OK');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
    stats = async () => ({ events: count, logBytes: 0 });
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'kwh-bench-'));
    const store = createEventStore({ logDir: dir });
    const receiver = await startReceiver({
      store,
      credentials: () => ({ kalturaSecrets: [{ label: 'bench', secret: vectors.secret }], basicAuth: [] }),
    });
    port = receiver.port;
    stats = async () => {
      await store.flush();
      const all = store.all();
      if (all.length > 0 && all.at(-1)!.verification.status !== 'verified') throw new Error('bench payload did not verify');
      const logBytes = statSync(eventLogPath(dir)).size;
      let persisted = 0;
      for (const byte of readFileSync(eventLogPath(dir))) if (byte === 0x0a) persisted++;
      await receiver.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      return { events: persisted, logBytes };
    };
  }
  process.send!({ port });
  process.on('message', async (msg) => {
    if (msg === 'stats') {
      process.send!({ stats: await stats() });
      process.exit(0);
    }
  });
}

function startServer(kind: Kind): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(__filename, ['--serve', kind], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (msg: { port: number }) => resolve({ child, port: msg.port }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited early (${code})`)));
  });
}

function stopServer(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve) => {
    child.once('message', (msg: { stats: ServerStats }) => resolve(msg.stats));
    child.send('stats');
  });
}

async function measure(kind: Kind, connections: number, duration: number) {
  const { child, port } = await startServer(kind);
  const opts = { url: `http://127.0.0.1:${port}/bench`, connections, method: 'POST', headers, body: vector.body };
  await autocannon({ ...opts, duration: 1 }); // warm-up (JIT, sockets)
  const result = await autocannon({ ...opts, duration });
  const stats = await stopServer(child);
  return { kind, rps: result.requests.average, total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts, ...stats };
}

export async function runReceiverThroughputBench(): Promise<{ bareRps: number; receiverRps: number; ratio: number }> {
  const duration = Number(process.env.KWH_BENCH_SECONDS ?? 5);
  const connections = Number(process.env.KWH_BENCH_CONNECTIONS ?? 50);
  console.log(`receiver throughput: ${Buffer.byteLength(vector.body)}-byte signed Kaltura body, ${connections} connections, ${duration} s each`);
  const bare = await measure('bare', connections, duration);
  const receiver = await measure('receiver', connections, duration);
  for (const r of [bare, receiver]) {
    console.log(
      `  ${r.kind.padEnd(8)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
        `errors/non-200 ${r.bad}  ${r.kind === 'receiver' ? `events persisted ${r.events}  log ${(r.logBytes / 1048576).toFixed(1)} MiB` : `requests answered ${r.events}`}`,
    );
  }
  const ratio = receiver.rps / bare.rps;
  console.log(`  ratio receiver/bare: ${ratio.toFixed(2)}`);
  return { bareRps: bare.rps, receiverRps: receiver.rps, ratio };
}

if (process.argv[2] === '--serve') {
  void serve(process.argv[3] as Kind);
} else if (require.main === module) {
  runReceiverThroughputBench().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
