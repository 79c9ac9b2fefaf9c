// Test support for running generated stubs for real: write them to a temp folder under test-output/ (inside the repo,
// so TypeScript stubs resolve zod/express/@types from this repo's node_modules), compile, start, and stop them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SerializedEvent } from '../../../src/core/events/model';
import type { CodegenFramework, CodegenLanguage, GeneratedFiles } from '../../../src/core/codegen';

export const repoRoot = join(__dirname, '..', '..', '..');

/** Every language and framework a stub can be generated for. */
export const allStubs: Array<{ language: CodegenLanguage; framework: CodegenFramework }> = [
  { language: 'typescript', framework: 'node-http' },
  { language: 'typescript', framework: 'express' },
  { language: 'python', framework: 'flask' },
  { language: 'python', framework: 'fastapi' },
  { language: 'python', framework: 'http-server' },
  { language: 'php', framework: 'plain' },
];
export const python = '/usr/bin/python3';

export function makeWorkDir(prefix: string): string {
  const base = join(repoRoot, 'test-output');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

export function writeGenerated(dir: string, generated: GeneratedFiles): void {
  for (const file of generated.files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, killed after timeoutMs. */
export function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningStub {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts a long-running stub and waits until its output reveals the port (each stub binds port 0 or prints the
 * port PHP picked), failing after timeoutMs with whatever the process printed.
 */
export function startStub(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; portPattern: RegExp; path: string; timeoutMs: number },
): Promise<RunningStub> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let output = '';
    let settled = false;
    const stop = (): Promise<void> =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          live.delete(child);
          done();
          return;
        }
        child.once('exit', () => {
          live.delete(child);
          done();
        });
        child.kill('SIGKILL');
      });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      void stop().then(() => reject(new Error(`${command} ${args.join(' ')} did not report a port within ${options.timeoutMs} ms:\n${output}`)));
    }, options.timeoutMs);
    const onData = (d: Buffer): void => {
      output += d.toString();
      const match = options.portPattern.exec(output);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${match[1]}${options.path}`, output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      live.delete(child);
      reject(new Error(`${command} exited with ${code} before listening:\n${output}`));
    });
  });
}

/** A SerializedEvent as `kwh listen --json` would print it, for feeding generateHandler in tests. */
export function capturedEvent(options: {
  source: SerializedEvent['source'];
  type: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}): SerializedEvent {
  const now = new Date(0).toISOString();
  const rawHeaders = Object.entries(options.headers);
  const headers = Object.fromEntries(rawHeaders.map(([k, v]) => [k.toLowerCase(), v]));
  return {
    id: 'evt-1',
    requestId: 'req-1',
    indexInRequest: 0,
    countInRequest: 1,
    receivedAt: now,
    source: options.source,
    type: options.type,
    summary: options.type,
    verification: { status: 'verified' },
    duplicateOf: null,
    deliveryCount: 1,
    parsed: { kind: 'unknown' },
    problems: [],
    request: {
      requestId: 'req-1',
      receivedAt: now,
      method: 'POST',
      path: options.path,
      httpVersion: '1.1',
      headers,
      rawHeaders,
      bodyBase64: Buffer.from(options.body, 'utf8').toString('base64'),
      bodySize: Buffer.byteLength(options.body),
      bodyTruncated: false,
    },
  };
}
