// Child process of the memory benchmark (run with --expose-gc so the figures are after a full collection).
//   fill DIR CAPACITY COUNT   ingest COUNT distinct signed notifications through the receiver's ingest path into a
//                             persisted store, then report RSS / heap; the same process's RSS before the store
//                             existed is the same-run baseline
//   reload DIR CAPACITY       time store.load() of the log in DIR in a fresh process
import { openSessionStore } from '../src/core/session/sessionStore';
import { startReceiver } from '../src/core/receiver/receiverServer';
import { sampleToCapturedRequest } from '../src/core/providers/samples';
import { kalturaSignature } from '../src/protocol/signing';
import { BENCH_SECRET, benchSample } from './payload';

export interface FillReport {
  baselineRssBytes: number;
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  inMemory: number;
  ingestMs: number;
}
export interface ReloadReport {
  reloadMs: number;
  loaded: number;
  inMemory: number;
  warnings: number;
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function capacityOption(raw: string): { capacity?: number } {
  return raw === 'default' ? {} : { capacity: Number(raw) };
}

async function fill(dir: string, capacityRaw: string, count: number): Promise<FillReport> {
  gc();
  const baselineRssBytes = process.memoryUsage().rss;
  const store = openSessionStore({ logDir: dir, ...capacityOption(capacityRaw) });
  const receiver = await startReceiver({
    store,
    credentials: () => ({ kalturaSecrets: [{ label: 'bench', secret: BENCH_SECRET }], basicAuth: [] }),
  });
  // One body template; each event gets its own job id (so dedupe does not link them), its own bytes and signature.
  const template = benchSample({ jobId: 1_000_000_000 });
  const text = template.body.toString('utf8');
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    // An exact-size buffer, as the receiver's capture makes for a network body (Buffer.from would put it on
    // Node's shared 8 KiB pool and each kept body would pin a whole pool slab).
    const bytes = text.replace('1000000000', String(1_000_000_000 + i));
    const body = Buffer.allocUnsafeSlow(Buffer.byteLength(bytes));
    body.write(bytes, 0, 'utf8');
    const headers = { ...template.headers, 'X-KALTURA-SIGNATURE': kalturaSignature(BENCH_SECRET, body, 'sha1'), 'Content-Length': String(body.length) };
    receiver.ingest(sampleToCapturedRequest({ ...template, headers, body }, `req_${i}`), 'network');
    // At a real arrival rate the store flushes every 50 ms; a tight loop must yield for that to happen.
    if (i % 500 === 499) await store.flush();
  }
  await store.flush();
  const ingestMs = performance.now() - started;
  const last = store.all().at(-1);
  if (last?.verification.status !== 'verified') throw new Error(`memory bench events did not verify (${last?.verification.status})`);
  await receiver.close();
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const mem = process.memoryUsage();
  const report = { baselineRssBytes, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, externalBytes: mem.external, inMemory: store.size, ingestMs };
  await store.close();
  return report;
}

async function reload(dir: string, capacityRaw: string): Promise<ReloadReport> {
  const store = openSessionStore({ logDir: dir, ...capacityOption(capacityRaw) });
  const started = performance.now();
  const result = await store.load();
  const reloadMs = performance.now() - started;
  gc();
  const mem = process.memoryUsage();
  const report = { reloadMs, loaded: result.loaded, inMemory: store.size, warnings: result.warnings.length, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, externalBytes: mem.external };
  await store.close();
  return report;
}

async function main(): Promise<void> {
  const [mode, dir, capacity, count] = process.argv.slice(2);
  const report = mode === 'fill' ? await fill(dir!, capacity!, Number(count)) : await reload(dir!, capacity!);
  process.send!({ report }, () => process.exit(0));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
