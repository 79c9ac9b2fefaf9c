// The persisted event log: append-only JSON Lines (`events.jsonl`), one serializeEvent() per line.
// Writes are batched (one append per flush) and serialized through a promise chain; reads stream line by line.
// Rotation is out of scope: the file grows until the user clears it.
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { deserializeEvent, type SerializedEvent, type WebhookEvent } from './model';

export const EVENT_LOG_FILE = 'events.jsonl';

export function eventLogPath(logDir: string): string {
  return join(logDir, EVENT_LOG_FILE);
}

const headerPair = z.tuple([z.string(), z.string()]);

// Loose on the payload (the providers own its shape) but strict on what the store and the views rely on.
const serializedEventSchema = z.looseObject({
  id: z.string().min(1),
  requestId: z.string().min(1),
  indexInRequest: z.number().int().nonnegative(),
  countInRequest: z.number().int().positive(),
  receivedAt: z.string(),
  source: z.enum(['kaltura', 'kaltura-legacy', 'enablex', 'unknown']),
  type: z.string(),
  summary: z.string(),
  verification: z.looseObject({ status: z.enum(['verified', 'failed', 'unsigned']) }),
  dedupeKey: z.string().optional(),
  duplicateOf: z.string().nullable(),
  deliveryCount: z.number().int().positive(),
  request: z.looseObject({
    requestId: z.string(),
    receivedAt: z.string(),
    method: z.string(),
    path: z.string(),
    httpVersion: z.string(),
    headers: z.record(z.string(), z.string()),
    rawHeaders: z.array(headerPair),
    bodyBase64: z.string(),
    bodySize: z.number().int().nonnegative(),
    bodyTruncated: z.boolean(),
    remoteAddress: z.string().optional(),
  }),
  parsed: z.looseObject({ kind: z.enum(['kaltura', 'kaltura-legacy', 'enablex', 'unknown']) }),
  problems: z.array(z.string()),
});

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

export interface ReadLogResult {
  lines: number;
  events: number;
  warnings: string[];
}

/** Streams the log, calling onEvent per valid line; invalid or torn lines become warnings naming the line. */
export async function readEventLog(path: string, onEvent: (event: WebhookEvent) => void): Promise<ReadLogResult> {
  const result: ReadLogResult = { lines: 0, events: 0, warnings: [] };
  const stream = createReadStream(path);
  const missing = await new Promise<boolean>((resolve, reject) => {
    stream.once('open', () => resolve(false));
    stream.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? resolve(true) : reject(err)));
  });
  if (missing) return result;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    result.lines++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      result.warnings.push(
        `${path} line ${result.lines}: not valid JSON (${err instanceof Error ? err.message : String(err)}), ` +
          'probably a write torn by a crash; skipped',
      );
      continue;
    }
    const parsed = serializedEventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      result.warnings.push(
        `${path} line ${result.lines}: not a workbench event (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}); skipped`,
      );
      continue;
    }
    result.events++;
    onEvent(deserializeEvent(parsed.data as unknown as SerializedEvent));
  }
  return result;
}
