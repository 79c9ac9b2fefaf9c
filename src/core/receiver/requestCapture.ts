// Turns what node:http parsed into a CapturedRequest: header pairs in wire order, names as sent, and the exact
// body bytes (Buffer chunks, never strings), cut at the body limit.
import type { IncomingMessage } from 'node:http';
import { bodyBytes } from '../events/bodySlab';
import { newRequestId } from '../events/eventIds';
import { joinHeaderPairs } from '../events/headerRecord';
import type { CapturedRequest } from '../events/model';

export function headerPairs(rawHeaders: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

/** The announced Content-Length, or undefined when absent or not a plain non-negative integer. */
export function announcedLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Collects body chunks up to `limit` bytes; counts everything that arrived. */
export class BodyCollector {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  seen = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.seen += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  get overLimit(): boolean {
    return this.seen > this.limit;
  }

  get keptBytes(): number {
    return this.kept;
  }

  /**
   * An exact-size copy: chunks are views into the socket's read buffers (often 64 KiB each), and keeping a view
   * would keep the whole read buffer alive for as long as the event lives (bodySlab.ts says where the copy lives).
   */
  body(): Buffer {
    const out = bodyBytes(this.kept);
    let offset = 0;
    for (const chunk of this.chunks) offset += chunk.copy(out, offset);
    return out;
  }
}

export function captureRequest(
  req: IncomingMessage,
  receivedAt: string,
  body: Buffer,
  bodySize: number,
  bodyTruncated: boolean,
): CapturedRequest {
  const rawHeaders = headerPairs(req.rawHeaders);
  const captured: CapturedRequest = {
    requestId: newRequestId(),
    receivedAt,
    method: req.method ?? '',
    path: req.url ?? '',
    httpVersion: req.httpVersion,
    rawHeaders,
    headers: joinHeaderPairs(rawHeaders),
    body,
    bodySize,
    bodyTruncated,
  };
  const remote = req.socket.remoteAddress;
  if (remote) captured.remoteAddress = remote;
  return captured;
}
