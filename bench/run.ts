// `npm run bench`: every benchmark of issue #7 in one run. Prints each benchmark's lines, a results table with the
// goals, and as the LAST line one JSON object with all figures. Durations: KWH_BENCH_SECONDS (throughput round,
// default 5), KWH_BENCH_ROUNDS (3), KWH_BENCH_CONNECTIONS (50), KWH_BENCH_INGEST_SECONDS (5), KWH_BENCH_EVENTS
// (100000), KWH_BENCH_TUNNEL_REQUESTS (300). KWH_BENCH_ONLY=throughput,ingest,memory,extension,tunnel runs a subset.
import { runExtensionCost, type ExtensionCostResult } from './extensionCost';
import { runIngestLatency, type IngestResult } from './ingestLatency';
import { runMemory, type MemoryResult } from './memory';
import { runHostile, type HostileResult } from './hostile';
import { runThroughput, type ThroughputResult } from './throughput';
import { runTunnelOverhead, type TunnelResult } from './tunnelOverhead';
import { MiB } from './stats';

interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: boolean | null;
}

const only = new Set((process.env.KWH_BENCH_ONLY ?? 'throughput,hostile,ingest,memory,extension,tunnel').split(',').map((s) => s.trim()));

async function step<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  if (!only.has(name)) return undefined;
  console.log('');
  const started = Date.now();
  try {
    const r = await run();
    console.log(`  (${name}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return r;
  } catch (err) {
    console.log(`  ${name} FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
    return undefined;
  }
}

function table(rows: Row[]): string {
  const head = ['figure', 'value', 'same-run baseline', 'ratio', 'goal', 'met'];
  const cells = rows.map((r) => [r.figure, r.value, r.baseline, r.ratio, r.goal, r.met === null ? '-' : r.met ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`kwh bench on Node ${process.version}, ${process.env.KWH_BENCH_NOTE ?? 'shared machine: absolute figures are noisy, ratios are same-run'}`);
  const tp: ThroughputResult | undefined = await step('throughput', () => runThroughput());
  const hostile: HostileResult | undefined = await step('hostile', () => runHostile());
  const ing: IngestResult | undefined = await step('ingest', () => runIngestLatency());
  const mem: MemoryResult | undefined = await step('memory', () => runMemory());
  const ext: ExtensionCostResult | undefined = await step('extension', () => runExtensionCost());
  const tun: TunnelResult | undefined = await step('tunnel', () => runTunnelOverhead());

  const rows: Row[] = [];
  if (tp) {
    rows.push({ figure: `receiver req/s (${tp.connections} conn, ${(tp.bodyBytes / 1024).toFixed(1)} KB body)`, value: String(tp.receiverRps), baseline: `bare node:http ${tp.baselineRps}`, ratio: tp.receiverRatio.toFixed(2), goal: '>= 0.6', met: tp.receiverRatio >= 0.6 });
    rows.push({ figure: 'receiver vs hand-written Kaltura receiver (receiverVsHandwritten)', value: String(tp.receiverRps), baseline: `hand-written ${tp.handwrittenRps}`, ratio: tp.receiverVsHandwritten.toFixed(2), goal: '>= 0.8', met: tp.receiverVsHandwritten >= 0.8 });
    rows.push({ figure: 'receiver latency p50 / p99 ms', value: `${tp.receiverP50Ms} / ${tp.receiverP99Ms}`, baseline: `${tp.baselineP50Ms} / ${tp.baselineP99Ms}`, ratio: '', goal: '', met: null });
  }
  if (hostile) {
    for (const r of hostile.rows) {
      rows.push({ figure: `row ${r.row}: good sender p99 ms / peak RSS MiB`, value: `${r.goodP99Ms} / ${r.peakRssMb}`, baseline: r.row.startsWith('3:') ? `bare node:http p99 ${hostile.bareFloodP99Ms}` : '', ratio: '', goal: '< 250 ms / < 512 MiB', met: r.peakRssMb < 512 && (r.goodP99Ms < 250 || (r.row.startsWith('3:') && r.goodP99Ms <= Math.max(250, hostile.bareFloodP99Ms * 1.5))) });
    }
  }
  if (ing) {
    rows.push({ figure: `ingest→view p99 ms @ ${ing.rate}/s`, value: String(ing.atDefault.p99Ms), baseline: `bare ${ing.atDefault.flushIntervalMs} ms timer p99 ${ing.timerP99Ms}`, ratio: (ing.atDefault.p99Ms / ing.timerP99Ms).toFixed(2), goal: '<= 50 ms', met: ing.atDefault.p99Ms <= 50 });
    rows.push({ figure: `  same, flush every ${ing.atShort.flushIntervalMs} ms (diagnostic)`, value: String(ing.atShort.p99Ms), baseline: '', ratio: '', goal: '', met: null });
  }
  if (mem) {
    rows.push({ figure: `RSS MiB after ${mem.events} events, capacity ${mem.defaultCapacity} (default)`, value: String(mem.rssMbDefault), baseline: `process before store ${mem.baselineRssMb}`, ratio: (mem.rssMbDefault / mem.baselineRssMb).toFixed(2), goal: 'bounded', met: null });
    rows.push({ figure: `RSS MiB after ${mem.events} events, capacity ${mem.events}`, value: String(mem.rssMb100k), baseline: `process before store ${mem.baselineRssMb}`, ratio: (mem.rssMb100k / mem.baselineRssMb).toFixed(2), goal: '', met: null });
    rows.push({ figure: `reload ms, ${mem.reloaded} events (${mem.logMb} MiB log), capacity ${mem.defaultCapacity} (default)`, value: String(mem.reloadMsDefault), baseline: '', ratio: (mem.reloadMsDefault / 2000).toFixed(2) + ' of goal', goal: '<= 2000 ms', met: mem.reloadMsDefault <= 2000 });
    rows.push({ figure: `reload ms, same log, capacity ${mem.events} (all in memory)`, value: String(mem.reloadMs100k), baseline: '', ratio: (mem.reloadMs100k / 2000).toFixed(2) + ' of goal', goal: '<= 2000 ms', met: mem.reloadMs100k <= 2000 });
  }
  if (ext) {
    rows.push({ figure: 'activation ms (bundle load + activate(), stub host)', value: String(ext.activationMs), baseline: `empty extension ${ext.baselineActivationMs}`, ratio: '', goal: '<= 50 ms', met: ext.activationMs <= 50 });
    rows.push({ figure: '  bundle load / activate() / "activated in" ms', value: `${ext.loadMs} / ${ext.activateWallMs} / ${ext.loggedActivationMs}`, baseline: '', ratio: '', goal: '', met: null });
    rows.push({ figure: '  core load on first use ms', value: String(ext.coreLoadMs), baseline: '', ratio: '', goal: 'reported', met: null });
    rows.push({ figure: 'VSIX bytes', value: String(ext.vsixBytes), baseline: '', ratio: (ext.vsixBytes / MiB).toFixed(2) + ' MiB', goal: '<= 1 MiB', met: ext.vsixBytes <= MiB });
    rows.push({ figure: 'bundle bytes (production extension.js / core.js)', value: `${ext.bundleBytes} / ${ext.coreBundleBytes}`, baseline: '', ratio: '', goal: '', met: null });
  }
  if (tun) {
    rows.push({ figure: 'tunnel latency p50 ms (fresh connection)', value: String(tun.tunnelP50Ms), baseline: `direct ${tun.directP50Ms}`, ratio: tun.tunnelOverheadRatio.toFixed(2), goal: 'reported', met: null });
  }
  console.log('');
  console.log(table(rows));
  console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const json = {
    receiverRatio: tp?.receiverRatio ?? null,
    receiverVsHandwritten: tp?.receiverVsHandwritten ?? null,
    hostile: hostile ? Object.fromEntries(hostile.rows.map((r) => [r.row.split(':')[0], { p99Ms: r.goodP99Ms, peakRssMb: r.peakRssMb }])) : null,
    receiverRps: tp?.receiverRps ?? null,
    baselineRps: tp?.baselineRps ?? null,
    receiverP50Ms: tp?.receiverP50Ms ?? null,
    receiverP99Ms: tp?.receiverP99Ms ?? null,
    baselineP50Ms: tp?.baselineP50Ms ?? null,
    baselineP99Ms: tp?.baselineP99Ms ?? null,
    ingestP99Ms: ing?.atDefault.p99Ms ?? null,
    ingestP50Ms: ing?.atDefault.p50Ms ?? null,
    ingestFlushIntervalMs: ing?.atDefault.flushIntervalMs ?? null,
    ingestTimerBaselineP99Ms: ing?.timerP99Ms ?? null,
    rssMbDefault: mem?.rssMbDefault ?? null,
    rssMb100k: mem?.rssMb100k ?? null,
    baselineRssMb: mem?.baselineRssMb ?? null,
    reloadMs100k: mem?.reloadMs100k ?? null,
    reloadMsDefault: mem?.reloadMsDefault ?? null,
    logMb100k: mem?.logMb ?? null,
    activationMs: ext?.activationMs ?? null,
    activateWallMs: ext?.activateWallMs ?? null,
    bundleLoadMs: ext?.loadMs ?? null,
    vsixBytes: ext?.vsixBytes ?? null,
    bundleBytes: ext?.bundleBytes ?? null,
    tunnelOverheadRatio: tun?.tunnelOverheadRatio ?? null,
    tunnelP50Ms: tun?.tunnelP50Ms ?? null,
    directP50Ms: tun?.directP50Ms ?? null,
  };
  console.log(JSON.stringify(json));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
