// One writer per store folder. Two processes appending to one events.jsonl interleave their lines (and each
// acknowledges events the other may cut back), so the folder holds a lock file naming its holder; a lock left by a
// process that no longer runs on this host is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const STORE_LOCK_FILE = 'events.lock';

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  by: string;
}

export class StoreLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      holder
        ? `the event store ${folder} is in use by ${holder.by} (pid ${holder.pid} on ${holder.host}, since ${holder.since}); ` +
            'stop it, or give this one another folder'
        : `the event store ${folder} is locked (${join(folder, STORE_LOCK_FILE)} exists but cannot be read); ` +
            'if no other receiver uses the folder, delete that file',
    );
    this.name = 'StoreLockedError';
  }
}

export interface StoreLock {
  readonly path: string;
  release(): void;
}

/** Takes the folder's lock, or throws StoreLockedError naming the holder. */
export function lockStoreFolder(folder: string, by: string): StoreLock {
  try {
    return takeLock(folder, by);
  } catch (err) {
    if (err instanceof StoreLockedError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot use ${folder} as the event store (${code ?? (err instanceof Error ? err.message : String(err))}): ` +
        (code === 'EROFS' ? 'the folder is on a read-only file system; ' : code === 'ENOSPC' ? 'the disk is full; ' : '') +
        'give a writable folder, or run without a store folder to keep events in memory only',
    );
  }
}

function takeLock(folder: string, by: string): StoreLock {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, STORE_LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), by };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder && holder.host === me.host && !isAlive(holder.pid)) {
        try {
          unlinkSync(path);
        } catch {
          // another process took it over first; the next attempt sees its lock
        }
        continue;
      }
      throw new StoreLockedError(folder, holder);
    }
    try {
      writeSync(fd, JSON.stringify(me) + '\n');
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        const current = readHolder(path);
        if (current && current.pid === me.pid && current.since === me.since) {
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        }
      },
    };
  }
  throw new StoreLockedError(folder, readHolder(path));
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return { pid: value.pid, host: value.host, since: String(value.since ?? '?'), by: String(value.by ?? 'another process') };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
