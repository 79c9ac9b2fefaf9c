// The persisted event log: append-only JSON Lines (`events.jsonl`), one record per line (format: logRecord.ts).
// Writes are batched (one append per flush) and serialized through a promise chain; reads go in large chunks.
// Rotation is out of scope: the file grows until the user clears it.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeLogLine, isCompleteLine, readLineHead, type LogHead } from './logRecord';
import type { WebhookEvent } from './model';

export const EVENT_LOG_FILE = 'events.jsonl';

export function eventLogPath(logDir: string): string {
  return join(logDir, EVENT_LOG_FILE);
}

/** Appends lines to the log in batches. Never throws from append(); write failures go to onError. */
export class EventLogWriter {
  private pending: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private handle: FileHandle | undefined;
  private failing = false;

  constructor(
    readonly path: string,
    private readonly onError: (message: string) => void,
  ) {}

  get pendingLines(): number {
    return this.pending.length;
  }

  append(line: string): void {
    this.pending.push(line);
  }

  /** Writes everything appended so far with a single append, after any earlier write finished. */
  flush(): Promise<void> {
    if (this.pending.length > 0) {
      const text = this.pending.join('\n') + '\n';
      this.pending = [];
      this.enqueue(async () => {
        const handle = await this.openHandle();
        await handle.appendFile(text);
      }, 'write to');
    }
    return this.chain;
  }

  /** Empties the file (and drops lines not yet written). */
  truncate(): Promise<void> {
    this.pending = [];
    this.enqueue(async () => {
      const handle = await this.openHandle();
      await handle.truncate(0);
    }, 'truncate');
    return this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await handle.close().catch(() => undefined);
  }

  private enqueue(task: () => Promise<void>, verb: string): void {
    this.chain = this.chain.then(async () => {
      await task();
      this.failing = false;
    }).catch((err: unknown) => {
      // One warning per outage, not one per flush.
      if (this.failing) return;
      this.failing = true;
      this.onError(
        `could not ${verb} the event log ${this.path}: ${err instanceof Error ? err.message : String(err)}; ` +
          'check that the folder exists and is writable (events stay in memory meanwhile)',
      );
    });
  }

  private async openHandle(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a+');
    // A crash mid-write can leave a torn last line without its newline; start on a fresh line so the next
    // event is not glued onto it (load() then skips only the torn fragment).
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.appendFile('\n');
    }
    this.handle = handle;
    return handle;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading. Pass 1 walks the whole file in large chunks, splitting on '\n' with Buffer.indexOf. A complete
// version-2/3 line is only checked; while it is among the newest `newest` lines it stays a view into its read
// buffer, and once it falls out of that window its id/dedupeKey are read without a JSON.parse (version-1 lines are
// parsed in full). Pass 2 turns the newest lines into events from the kept buffers. The caller gets the older
// lines' heads first, then the events, all in file order, so replaying the dedupe index gives the same links and
// counts as a full read.

const CHUNK_BYTES = 4 * 1024 * 1024;
const READ_AHEAD = 3;

export interface ReadLogResult {
  lines: number;
  /** Valid event lines in the file (materialized or not). */
  events: number;
  warnings: string[];
}

export type { LogHead };

export interface ReadLogOptions {
  /** Materialize only the newest N valid events; older ones go to onOlder. Default: all. */
  newest?: number;
  onOlder?: (head: LogHead) => void;
  /** Read size (default 4 MiB); small values let tests put many lines across read boundaries. */
  chunkBytes?: number;
}

interface LineInfo {
  line: number;
  start: number;
  end: number;
  id: string;
  dedupeKey: string | undefined;
  /** The read buffer holding the line (at offset `at`), while the line is among the newest. */
  buf: Buffer | undefined;
  at: number;
}

function lineLength(info: LineInfo): number {
  return info.end - info.start;
}

interface Warning {
  line: number;
  text: string;
}

/** Reads the log, calling onEvent per materialized event; invalid or torn lines become warnings naming the line. */
export async function readEventLog(path: string, onEvent: (event: WebhookEvent) => void, options: ReadLogOptions = {}): Promise<ReadLogResult> {
  const result: ReadLogResult = { lines: 0, events: 0, warnings: [] };
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw err;
  }
  try {
    const warnings: Warning[] = [];
    const lines: LineInfo[] = [];
    const keep = options.newest === undefined ? Infinity : Math.max(0, Math.floor(options.newest));
    // Lines stay as a reference into their read buffer while they are among the newest `keep` (pass 2 parses them
    // from there); a line that falls out of that window gives up the buffer and keeps only its id and dedupe key.
    const settle = (info: LineInfo): boolean => {
      const { buf } = info;
      if (!buf) return true;
      info.buf = undefined;
      const head = readLineHead(buf, info.at, info.at + lineLength(info));
      if (head) {
        info.id = head.id;
        info.dedupeKey = head.dedupeKey;
        return true;
      }
      const decoded = decodeLogLine(buf.subarray(info.at, info.at + lineLength(info)));
      if (decoded.ok) {
        info.id = decoded.event.id;
        info.dedupeKey = decoded.event.dedupeKey;
        return true;
      }
      warnings.push({ line: info.line, text: decoded.problem });
      return false;
    };
    const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
    result.lines = await scanLines(handle, chunkBytes, (buf, start, end, line, fileOffset) => {
      lines.push({ line, start: fileOffset, end: fileOffset + (end - start), id: '', dedupeKey: undefined, buf, at: start });
      // Lines that need a full parse are checked now (so a bad one is known), complete v2/v3 lines when they leave the window.
      if (!isCompleteLine(buf, start, end) && !settle(lines[lines.length - 1]!)) lines.pop();
      const old = lines.length - 1 - keep;
      if (old >= 0 && !settle(lines[old]!)) lines.splice(old, 1);
    });
    const newest = keep === Infinity ? lines.length : keep;
    let events: WebhookEvent[] = [];
    let hi = lines.length;
    const reader = new RangeReader(handle, chunkBytes);
    // Walk back from the end until `newest` lines turned into events (a line may still fail its full parse).
    while (events.length < newest && hi > 0) {
      const lo = Math.max(0, hi - (newest - events.length));
      const batch: WebhookEvent[] = [];
      reader.reset();
      for (let i = lo; i < hi; i++) {
        const info = lines[i]!;
        const decoded = decodeLogLine(info.buf ? info.buf.subarray(info.at, info.at + lineLength(info)) : await reader.slice(info.start, info.end));
        info.buf = undefined;
        if (decoded.ok) batch.push(decoded.event);
        else warnings.push({ line: info.line, text: decoded.problem });
      }
      events = events.length === 0 ? batch : batch.concat(events);
      hi = lo;
    }
    for (let i = 0; i < hi; i++) {
      const info = lines[i]!;
      result.events++;
      options.onOlder?.(info.dedupeKey === undefined ? { id: info.id } : { id: info.id, dedupeKey: info.dedupeKey });
    }
    for (const event of events) {
      result.events++;
      onEvent(event);
    }
    warnings.sort((a, b) => a.line - b.line);
    result.warnings = warnings.map((w) => `${path} line ${w.line}: ${w.text}`);
    return result;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Calls onLine for every non-blank line (without its '\n' or a trailing '\r'); returns the number of lines.
 * `buf.subarray(start, end)` is the line; fileOffset is where it starts in the file. Every read gets a fresh
 * buffer, so a line's bytes may be kept as a view; the next read is already under way while one is scanned.
 */
async function scanLines(
  handle: FileHandle,
  chunkBytes: number,
  onLine: (buf: Buffer, start: number, end: number, line: number, fileOffset: number) => void,
): Promise<number> {
  let carry: Buffer | undefined;
  let carryOffset = 0;
  let position = 0;
  let line = 0;
  const emit = (buf: Buffer, start: number, end: number, fileOffset: number) => {
    line++;
    let e = end;
    if (e > start && buf[e - 1] === 0x0d) e--;
    if (isBlank(buf, start, e)) return;
    onLine(buf, start, e, line, fileOffset);
  };
  // Reads are issued READ_AHEAD chunks ahead, so the thread pool copies from the page cache in parallel while
  // this thread scans (pass 1 was read-bound: ~15% of a 100k-event reload spent waiting).
  const { size } = await handle.stat();
  const read = (at: number) => handle.read(Buffer.allocUnsafe(chunkBytes), 0, chunkBytes, at);
  const inFlight: Array<ReturnType<typeof read>> = [];
  let requested = 0;
  const fill = () => {
    while (inFlight.length < READ_AHEAD && requested < size) {
      inFlight.push(read(requested));
      requested += chunkBytes;
    }
  };
  fill();
  for (;;) {
    const pending = inFlight.shift();
    if (!pending) break;
    const { bytesRead, buffer } = await pending;
    fill();
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    const chunkOffset = position;
    position += bytesRead;
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    if (carry) {
      if (nl === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      // Only the line that spans the boundary is copied.
      const joined = Buffer.concat([carry, chunk.subarray(0, nl)]);
      emit(joined, 0, joined.length, carryOffset);
      carry = undefined;
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      emit(chunk, start, nl, chunkOffset + start);
      start = nl + 1;
    }
    if (start < chunk.length) {
      carry = chunk.subarray(start);
      carryOffset = chunkOffset + start;
    }
  }
  if (carry) emit(carry, 0, carry.length, carryOffset);
  return line;
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Reads increasing byte ranges of the file through one large window. */
class RangeReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly chunkBytes: number,
  ) {}

  reset(): void {
    this.window = Buffer.alloc(0);
    this.windowStart = 0;
  }

  async slice(start: number, end: number): Promise<Buffer> {
    if (start < this.windowStart || end > this.windowStart + this.window.length) {
      const size = Math.max(this.chunkBytes, end - start);
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await this.handle.read(buf, 0, size, start);
      this.window = buf.subarray(0, bytesRead);
      this.windowStart = start;
    }
    return this.window.subarray(start - this.windowStart, end - this.windowStart);
  }
}
