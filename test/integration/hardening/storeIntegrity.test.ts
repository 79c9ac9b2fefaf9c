// Store integrity (issue #7, hardening 6): a receiver process with a persisted store is SIGKILLed in the middle of a
// stream of requests; a store restarted on the same folder must hold every event that was answered 200. A torn
// last line (half a JSON line, as a crash mid-append leaves it) is skipped with a warning, and the log keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSessionStore } from '../../../src/core/session/sessionStore';
import { eventLogPath } from '../../../src/core/events/eventLog';
import { send, signedSample } from './hardeningSupport';

const fixture = join(__dirname, 'fixtures', 'persistedReceiver.ts');

function startChild(logDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, logDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`receiver process did not print its port within 20 s; stderr: ${err}`));
    }, 20_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`receiver process exited (${code}) before listening; stderr: ${err}`));
    });
  });
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

test('SIGKILL mid-stream: every request answered 200 is in the reloaded log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-hardening-kill-'));
  const { child, port } = await startChild(dir);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const answered = new Map<string, number>(); // event id → job id
  const KILL_AFTER = 120;
  const MAX_REQUESTS = 400;
  let next = 0;
  let killSent = false;
  try {
    // Four senders in parallel; the kill lands right after the 120th 200, while others are in flight.
    const sender = async () => {
      while (!killSent && next < MAX_REQUESTS) {
        const jobId = 500_000_000 + next++;
        const sample = signedSample(jobId);
        let answer;
        try {
          answer = await send(port, { path: sample.path, headers: sample.headers, body: sample.body, agent, timeoutMs: 5000 });
        } catch {
          continue; // the connection died with the process: this request was never answered
        }
        if (answer.status !== 200) continue;
        const id = answer.headers['x-kwh-event-id'];
        assert.equal(typeof id, 'string', 'the receiver names the stored event in X-Kwh-Event-Id');
        answered.set(id as string, jobId);
        if (answered.size >= KILL_AFTER && !killSent) {
          killSent = true;
          child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    await killed(child);
  } finally {
    agent.destroy();
    child.kill('SIGKILL');
    await killed(child);
  }
  assert.ok(killSent, `the stream reached ${KILL_AFTER} answers before the kill`);

  try {
    const warnings: string[] = [];
    const store = openSessionStore({ logDir: dir, capacity: 10_000, onWarning: (m) => warnings.push(m) });
    const loaded = await store.load();
    const missing = [...answered.entries()].filter(([id]) => store.get(id) === undefined);
    await store.close();
    assert.deepEqual(
      missing.map(([id, jobId]) => `${id} (job ${jobId})`),
      [],
      `${missing.length} of ${answered.size} requests that were answered 200 are not in the log after SIGKILL ` +
        `(log had ${loaded.loaded} events). The receiver must not answer 200 before the event's append reached the OS ` +
        '(or the store must write synchronously on add).',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn last line is skipped with a warning, and later appends start on a fresh line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-hardening-torn-'));
  try {
    const writer = openSessionStore({ logDir: dir });
    const { startReceiver } = await import('../../../src/core/receiver/receiverServer');
    const receiver = await startReceiver({ store: writer, credentials: () => ({ kalturaSecrets: [], basicAuth: [] }) });
    for (let i = 0; i < 5; i++) {
      const s = signedSample(600_000_000 + i);
      const a = await send(receiver.port, { path: s.path, headers: s.headers, body: s.body });
      assert.equal(a.status, 200);
    }
    await receiver.close();
    await writer.close();
    const path = eventLogPath(dir);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 5);
    // What a crash in the middle of an append leaves: the first half of a line, no newline.
    const torn = lines[4]!.slice(0, Math.floor(lines[4]!.length / 2));
    appendFileSync(path, torn);

    const warnings: string[] = [];
    const reader = openSessionStore({ logDir: dir, onWarning: (m) => warnings.push(m) });
    const result = await reader.load();
    assert.equal(result.loaded, 5, 'the five complete events load');
    assert.equal(result.warnings.length, 1, `exactly one warning, for the torn line: ${JSON.stringify(result.warnings)}`);
    assert.match(result.warnings[0]!, /line 6/);
    assert.match(result.warnings[0]!, /torn|not valid JSON/);

    // The next append must not be glued onto the fragment.
    const receiver2 = await startReceiver({ store: reader, credentials: () => ({ kalturaSecrets: [], basicAuth: [] }) });
    const s = signedSample(600_000_100);
    const a = await send(receiver2.port, { path: s.path, headers: s.headers, body: s.body });
    assert.equal(a.status, 200);
    const newId = a.headers['x-kwh-event-id'] as string;
    await receiver2.close();
    await reader.close();

    const again = openSessionStore({ logDir: dir });
    const second = await again.load();
    assert.equal(second.loaded, 6, 'the five old events and the new one');
    assert.ok(again.get(newId), 'the event appended after the torn line survives');
    assert.equal(second.warnings.length, 1, 'still only the torn fragment is skipped');
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
