// `kwh listen` tunnel options: the option checks, and the printed line protocol across a drop, a reconnect and a
// URL change, with the real client against the loopback server.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { startListening, type ListenSession } from '../../../src/cli/commands/listen';
import { tunnelOptionSpecs, tunnelPlanFromArgs } from '../../../src/cli/tunnelOptions';
import { FakeLocaltunnelServer } from '../../support/fakeLocaltunnelServer';
import { LocalApp } from './localApp';

const args = (...argv: string[]) => parseArgs(argv, tunnelOptionSpecs);

describe('tunnel options', () => {
  test('none by default; localtunnel and external URL map to the session\'s endpoint plan', () => {
    const none = { endpoint: { startSandbox: false, tunnel: 'none', warnings: [] } };
    assert.deepEqual(tunnelPlanFromArgs(args()), none);
    assert.deepEqual(tunnelPlanFromArgs(args('--tunnel', 'none')), none);
    assert.deepEqual(tunnelPlanFromArgs(args('--tunnel', 'localtunnel', '--tunnel-host', 'https://lt.example', '--subdomain', 'kaltura-dev')), {
      endpoint: { startSandbox: false, tunnel: 'localtunnel', warnings: [] },
      localtunnel: { host: 'https://lt.example', subdomain: 'kaltura-dev' },
    });
    assert.deepEqual(tunnelPlanFromArgs(args('--public-url', 'https://hooks.example.com/')), {
      endpoint: { startSandbox: false, tunnel: 'external', externalUrl: 'https://hooks.example.com', warnings: [] },
    });
  });

  test('bad combinations and values are usage errors that say what to do', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--tunnel', 'ngrok'], /--tunnel must be "localtunnel" or "none", got "ngrok"/],
      [['--tunnel', 'localtunnel', '--public-url', 'https://x.example'], /exclude each other/],
      [['--public-url', 'https://x.example', '--subdomain', 'abcd'], /only apply to --tunnel localtunnel/],
      [['--subdomain', 'abcd'], /need --tunnel localtunnel/],
      [['--tunnel', 'localtunnel', '--subdomain', 'ab'], /--subdomain "ab" is not allowed.*4–63 lowercase letters/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(() => tunnelPlanFromArgs(args(...argv)), (e: Error) => e instanceof UsageError && message.test(e.message), argv.join(' '));
    }
  });

  test('a malformed --public-url or --tunnel-host is a usage error', () => {
    assert.throws(() => tunnelPlanFromArgs(args('--public-url', 'hooks.example.com')), (e: Error) => e instanceof UsageError && /^--public-url "hooks.example.com" is not a URL/.test(e.message));
    assert.throws(
      () => tunnelPlanFromArgs(args('--tunnel', 'localtunnel', '--tunnel-host', 'localtunnel.me')),
      (e: Error) => e instanceof UsageError && /^--tunnel-host "localtunnel.me" is not a URL/.test(e.message),
    );
  });
});

describe('printed lines', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  test('up, down, reconnected, url changed: one line each', async () => {
    const server = await FakeLocaltunnelServer.start({ maxConnCount: 2 });
    cleanups.push(() => server.close());
    const lines: string[] = [];
    const waitLine = (re: RegExp) => server.waitFor(() => lines.some((l) => re.test(l)), `a line matching ${re}`);
    // What `kwh listen --tunnel localtunnel …` runs, with fast timings against the loopback tunnel server.
    const listening: ListenSession = await startListening(
      ['--tunnel', 'localtunnel', '--tunnel-host', server.controlUrl, '--subdomain', 'kaltura-dev'],
      (l) => lines.push(l),
      (w) => lines.push(`warning: ${w}`),
      { probeVia: server.publicOrigin, backoffBaseMs: 50, backoffCapMs: 200, controlRetryIntervalMs: 100, probeIntervalMs: 0, emptyPoolGraceMs: 300 },
    );
    cleanups.push(() => listening.close());
    const url = () => listening.session.snapshot().publicUrl ?? '';
    const first = server.publicUrlFor('kaltura-dev');
    assert.equal(url(), first);
    assert.match(lines[0]!, /^listening http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(lines[1], `tunnel ${first}`);
    assert.match(lines[2]!, /Bypass-Tunnel-Reminder: 1/);

    server.takenIds.add('kaltura-dev');
    server.dropClient('kaltura-dev');
    await waitLine(/^tunnel url changed: /);
    const second = url();
    assert.notEqual(second, first);
    assert.ok(lines.some((l) => /^tunnel down: .*(connection refused|no tunnel socket)/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => new RegExp(`^tunnel reconnected ${second.replace(/\./g, '\\.')} after \\d+ ms$`).test(l)), lines.join('\n'));
    assert.ok(lines.includes(`tunnel url changed: ${first} -> ${second}`), lines.join('\n'));

    // Behind the reminder page the probe still passes: it carries the bypass header like registered templates.
    server.reminder = true;
    const behindReminder = await listening.session.tunnel!.probeNow();
    server.reminder = false;
    assert.equal(behindReminder.ok, true);
    assert.ok(!lines.some((l) => l.startsWith('tunnel probe failed')), lines.join('\n'));
  });

  test('--public-url: printed as is, and a probe failure is printed with its name', async () => {
    const app = await LocalApp.start();
    const port = app.port;
    await app.close(); // nothing listens there any more
    const lines: string[] = [];
    const listening = await startListening(['--public-url', `http://127.0.0.1:${port}/`], (l) => lines.push(l), (w) => lines.push(`warning: ${w}`), {
      probeTimeoutMs: 1000,
      probeIntervalMs: 0,
    });
    cleanups.push(() => listening.close());
    assert.equal(lines[1], `tunnel http://127.0.0.1:${port}`);
    const until = Date.now() + 3000;
    while (!lines.some((l) => l.startsWith('tunnel probe failed')) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    assert.match(lines.find((l) => l.startsWith('tunnel probe failed')) ?? '', /^tunnel probe failed \(connection-error\): could not reach the public URL .*ECONNREFUSED/);
  });

  test('kwh listen exits 2 with a clear message for a bad --subdomain', async () => {
    const main = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'listen', '--tunnel', 'localtunnel', '--subdomain', 'Bad_Name'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /kwh listen: --subdomain "Bad_Name" is not allowed/);
  });
});
