// Child processes for the benchmarks: forked with tsx, talking over IPC, always killed at the end.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const live = new Set<ChildProcess>();

// A benchmark that throws must not leave servers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function forkBench(script: string, args: string[], execArgv: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = fork(join(__dirname, script), args, {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** The first IPC message matching `pick`, or a clear error when the child exits or the time runs out. */
export function nextMessage<T>(child: ChildProcess, what: string, pick: (msg: unknown) => T | undefined, timeoutMs = 120_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (msg: unknown) => {
      const value = pick(msg);
      if (value !== undefined) done(undefined, value);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`${what}: the child process exited (${signal ?? `code ${code}`}) before answering`));
    function done(err: Error | undefined, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export function waitExit(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
