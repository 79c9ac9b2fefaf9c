// The worst requests of the open-internet table (issue 11), each against a fresh `kwh listen --store DIR` process
// (the built CLI): the p99 of a well-behaved signed sender beside the attack (one kept-alive connection, a request
// every 20 ms) and the listener's peak RSS. Row 3 also runs against a bare node:http server in the same run, since
// a 900 MB loopback flood stalls any server's other clients on a 2-core machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildSampleRequest } from '../src/core/providers/samples';
import { malformedEscapesBody, manyAttributesXmlBody, multiNotificationBody, runFlood, startBareServer } from '../test/support/hostileRequests';
import { percentile, round } from './stats';

const SECRET = 'b3nchb3nchb3nchb3nchb3nchb3nch00';
const cli = join(__dirname, '..', 'dist', 'cli.js');

export interface HostileRow {
  row: string;
  goodP99Ms: number;
  goodRequests: number;
  peakRssMb: number;
}

export interface HostileResult {
  rows: HostileRow[];
  /** Row 3 against a bare node:http server, same flood, same good client. */
  bareFloodP99Ms: number;
}

function post(port: number, agent: Agent, path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

async function withGoodClient(port: number, attack: () => Promise<unknown>): Promise<{ p99: number; count: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let running = true;
  let job = 9_000_000;
  const loop = (async () => {
    while (running) {
      const sample = buildSampleRequest('kaltura', { secret: SECRET, jobId: job++, now: 1_763_900_000 });
      const started = performance.now();
      await post(port, agent, '/good', sample.headers as Record<string, string>, sample.body.toString()).catch(() => 0);
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  await attack();
  await new Promise((r) => setTimeout(r, 200));
  running = false;
  await loop;
  agent.destroy();
  return { p99: round(percentile(latencies, 99), 1), count: latencies.length };
}

async function listener(): Promise<{ port: number; pid: number; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-bench-hostile-'));
  const child = spawn(process.execPath, [cli, 'listen', '--store', dir, '--kaltura-secret-env', 'KWH_BENCH_SECRET'], {
    env: { ...process.env, KWH_BENCH_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('listening ') && resolve(l)));
  return {
    port: Number(new URL(line.slice('listening '.length)).port),
    pid: child.pid!,
    stop() {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return kb ? round(Number(kb[1]) / 1024, 1) : NaN;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export async function runHostile(log: (line: string) => void = console.log): Promise<HostileResult> {
  const attacks: Array<[string, (port: number) => Promise<unknown>]> = [
    ['1: 5,000-part legacy multi-notification', (port) => post(port, new Agent(), '/legacy', FORM, multiNotificationBody())],
    ['3: 200 connections x 4.5 MB, then close', (port) => runFlood(port)],
    ['4: three 5 MB bodies of %FF escapes at once', (port) => Promise.all([1, 2, 3].map(() => post(port, new Agent(), '/form', FORM, malformedEscapesBody())))],
    ['7: XML with 420,000 attributes (5 MB)', (port) => post(port, new Agent(), '/xml', { 'content-type': 'application/xml' }, manyAttributesXmlBody())],
  ];
  const rows: HostileRow[] = [];
  for (const [row, attack] of attacks) {
    const l = await listener();
    try {
      const good = await withGoodClient(l.port, () => attack(l.port));
      rows.push({ row, goodP99Ms: good.p99, goodRequests: good.count, peakRssMb: peakRssMb(l.pid) });
      log(`  row ${row}: good client p99 ${good.p99} ms over ${good.count} requests, peak RSS ${rows.at(-1)!.peakRssMb} MiB`);
    } finally {
      l.stop();
    }
  }
  const bare = await startBareServer();
  let bareFloodP99Ms: number;
  try {
    bareFloodP99Ms = (await withGoodClient(bare.port, () => runFlood(bare.port))).p99;
  } finally {
    bare.kill();
  }
  log(`  row 3 against a bare node:http server: good client p99 ${bareFloodP99Ms} ms`);
  return { rows, bareFloodP99Ms };
}

if (require.main === module) {
  runHostile().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
