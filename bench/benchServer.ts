// A server under test in its own process (so the load generator's CPU is not billed to it), driven over IPC:
//   bare      node:http answering 200 "OK" after reading the body (the baseline)
//   handwritten  what a developer would write by hand for one Kaltura endpoint: read the body, verify the signature
//             in constant time, JSON.parse, append one JSON line (headers and body) to a file, answer 200 in the
//             write callback (the second baseline: everything ours does on top of it is the price of the product)
//   receiver  the real receiver with signature verification and a persisted event store
//   receiver-memory  the same without the persisted log (a diagnostic: what persistence costs)
// It sends {port} when listening; on "stats" it flushes, reports and exits.
import { createServer } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, statSync, write } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_SECRET } from './payload';
import { RECEIVER_BUNDLE_ENV } from './receiverBundle';

type Receiver = typeof import('./receiverEntry');

// The shipped build when the parent built one (throughput.ts does); the sources otherwise (a manual run).
async function loadReceiver(): Promise<Receiver> {
  const bundle = process.env[RECEIVER_BUNDLE_ENV];
  return bundle ? (require(bundle) as Receiver) : import('./receiverEntry');
}

export type ServerKind = 'bare' | 'handwritten' | 'receiver' | 'receiver-memory';

export interface ServerStats {
  /** Requests answered (bare) or lines in the persisted log (receiver). */
  handled: number;
  logBytes: number;
  /** Verification status of the last stored event (receiver only). */
  lastVerification?: string;
  rssBytes: number;
}

async function main(kind: ServerKind): Promise<void> {
  let stats: () => Promise<ServerStats>;
  let port: number;
  if (kind === 'handwritten') {
    const dir = mkdtempSync(join(tmpdir(), 'kwh-bench-hand-'));
    const file = join(dir, 'events.jsonl');
    const fd = openSync(file, 'a');
    let count = 0;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const algo = String(req.headers['x-kaltura-hash-algo'] ?? 'sha1');
        const expected = createHash(algo === 'sha256' || algo === 'sha512' ? algo : 'sha1').update(BENCH_SECRET).update(body).digest();
        const received = Buffer.from(String(req.headers['x-kaltura-signature'] ?? ''), 'hex');
        const verified = received.length === expected.length && timingSafeEqual(received, expected);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          parsed = undefined;
        }
        const line = JSON.stringify({ at: Date.now(), verified, headers: req.headers, body: body.toString('utf8'), jobId: (parsed as { eventNotificationJobId?: number } | undefined)?.eventNotificationJobId }) + '\n';
        write(fd, line, (err) => {
          if (err) {
            res.writeHead(503).end();
            return;
          }
          count++;
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('OK');
        });
      });
    });
    await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => r()));
    port = (server.address() as { port: number }).port;
    stats = async () => {
      const logBytes = statSync(file).size;
      rmSync(dir, { recursive: true, force: true });
      return { handled: count, logBytes, rssBytes: process.memoryUsage().rss };
    };
  } else if (kind === 'bare') {
    let count = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        count++;
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('OK');
      });
    });
    await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => r()));
    port = (server.address() as { port: number }).port;
    stats = async () => ({ handled: count, logBytes: 0, rssBytes: process.memoryUsage().rss });
  } else {
    const { openSessionStore, eventLogPath, startReceiver } = await loadReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'kwh-bench-'));
    const store = openSessionStore(kind === 'receiver' ? { logDir: dir } : {});
    const receiver = await startReceiver({
      store,
      credentials: () => ({ kalturaSecrets: [{ label: 'bench', secret: BENCH_SECRET }], basicAuth: [] }),
    });
    port = receiver.port;
    stats = async () => {
      await store.flush();
      const last = store.all().at(-1);
      const rssBytes = process.memoryUsage().rss;
      let handled = 0;
      let logBytes = 0;
      if (kind === 'receiver') {
        try {
          logBytes = statSync(eventLogPath(dir)).size;
          handled = countLines(readFileSync(eventLogPath(dir)));
        } catch {
          // no log yet: nothing was persisted
        }
      } else {
        handled = store.size;
      }
      await receiver.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      return { handled, logBytes, rssBytes, ...(last && { lastVerification: last.verification.status }) };
    };
  }
  process.send!({ port });
  process.on('message', (msg) => {
    if (msg !== 'stats') return;
    void stats().then((s) => {
      process.send!({ stats: s }, () => process.exit(0));
    });
  });
  // The parent died: do not linger.
  process.on('disconnect', () => process.exit(0));
}

function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(0x0a); i !== -1; i = data.indexOf(0x0a, i + 1)) n++;
  return n;
}

void main(process.argv[2] as ServerKind);
