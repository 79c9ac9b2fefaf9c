// `kwh sandbox`: runs the local Kaltura-compatible API server and logs every notification attempt.
// `kwh sandbox entry add|update|delete --sandbox-url URL …` drives its entries (which fire templates).
import { terminalJson, writeOut } from '../terminalOutput';
import { request } from 'undici';
import { flag, intOption, optionHelp, parseArgs, secretFromEnv, stringOption, UsageError, type OptionSpecs } from '../args';
import type { CliCommand } from '../main';
import type { DeliveryAttempt } from '../../sandbox/types';

const serverSpecs: OptionSpecs = {
  host: { value: true, description: 'interface to bind (default 127.0.0.1)' },
  port: { value: true, description: 'port (default 0 = any free port)' },
  'partner-id': { value: true, description: 'partner id to create (with --admin-secret-env)' },
  'admin-secret-env': { value: true, description: 'environment variable holding that partner\'s admin secret' },
  'retry-interval-ms': { value: true, description: 'fixed interval between delivery attempts (default 2000)' },
  'max-attempts': { value: true, description: 'attempts per notification job (default 3)' },
  'data-dir': { value: true, description: 'keep templates, entries and tokens in DIR/sandbox.json' },
  json: { description: 'log delivery attempts as JSON lines' },
  help: { description: 'show this help' },
};

const entrySpecs: OptionSpecs = {
  'sandbox-url': { value: true, description: 'the sandbox URL printed by `kwh sandbox`' },
  id: { value: true, description: 'entry id (required for update and delete)' },
  name: { value: true },
  status: { value: true, description: 'READY, PENDING, … or a number' },
  tags: { value: true },
  description: { value: true },
  json: { description: 'print the entry as JSON' },
  help: { description: 'show this help' },
};

function help(specs: OptionSpecs, usage: string): string {
  return [usage, '', ...optionHelp(specs)].join('\n');
}

export function formatAttempt(a: DeliveryAttempt): string {
  const name = a.templateSystemName ? ` (${a.templateSystemName})` : '';
  const outcome = a.ok ? 'ok' : `failed${a.willRetry ? ', will retry' : a.attempt >= a.maxAttempts ? ', giving up' : ''}: ${a.error ?? ''}`;
  return `delivery job=${a.jobId} template=${a.templateId}${name} attempt=${a.attempt}/${a.maxAttempts} ${a.method} ${a.url} -> ${a.status || '-'} ${outcome} (${a.durationMs} ms)`;
}

async function runServer(argv: string[]): Promise<number> {
  const args = parseArgs(argv, serverSpecs);
  if (flag(args, 'help')) {
    writeOut(help(serverSpecs, 'usage: kwh sandbox [options]\n       kwh sandbox entry add|update|delete --sandbox-url URL [--id ID] [--name N] [--status S] [--tags T]') + '\n');
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"; subcommands: entry`);
  const partnerIdText = stringOption(args, 'partner-id');
  const secretEnv = stringOption(args, 'admin-secret-env');
  if ((partnerIdText === undefined) !== (secretEnv === undefined)) {
    throw new UsageError('--partner-id and --admin-secret-env go together (or leave both out for a throwaway local partner)');
  }
  const partnerId = partnerIdText === undefined ? undefined : intOption(args, 'partner-id', 0);
  if (partnerId === 0) throw new UsageError('--partner-id must be a positive integer');
  const adminSecret = secretEnv === undefined ? undefined : secretFromEnv(secretEnv, 'admin-secret-env');
  const { startSandbox } = await import('../../sandbox/index');
  const dataDir = stringOption(args, 'data-dir');
  const sandbox = await startSandbox({
    host: stringOption(args, 'host') ?? '127.0.0.1',
    port: intOption(args, 'port', 0),
    retryIntervalMs: intOption(args, 'retry-interval-ms', 2000),
    maxAttempts: Math.max(1, intOption(args, 'max-attempts', 3)),
    ...(partnerId !== undefined && { partnerId }),
    ...(adminSecret !== undefined && { adminSecret }),
    ...(dataDir !== undefined && { dataDir }),
  });
  writeOut(`sandbox ${sandbox.url} partnerId=${sandbox.partnerId}\n`);
  // The throwaway local partner's secret is printed so the user can start sessions; a secret they supplied is not.
  if (adminSecret === undefined) writeOut(`adminSecret=${sandbox.adminSecret}\n`);
  const json = flag(args, 'json');
  sandbox.onDelivery((a) => writeOut((json ? terminalJson(a) : formatAttempt(a)) + '\n'));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}

async function runEntry(argv: string[]): Promise<number> {
  const args = parseArgs(argv, entrySpecs);
  const [verb, extra] = args.positionals;
  if (flag(args, 'help') || !verb) {
    writeOut(help(entrySpecs, 'usage: kwh sandbox entry add|update|delete --sandbox-url URL [options]') + '\n');
    return verb ? 0 : 2;
  }
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (!['add', 'update', 'delete'].includes(verb)) throw new UsageError(`unknown entry action "${verb}"; use add, update or delete`);
  const base = stringOption(args, 'sandbox-url');
  if (!base) throw new UsageError('--sandbox-url is required (the URL printed by `kwh sandbox`)');
  let root: URL;
  try {
    root = new URL(base);
  } catch {
    throw new UsageError(`--sandbox-url "${base}" is not a URL; e.g. http://127.0.0.1:4000`);
  }
  const id = stringOption(args, 'id');
  if (verb !== 'add' && !id) throw new UsageError(`entry ${verb} needs --id`);
  const body: Record<string, string> = {};
  for (const key of ['name', 'status', 'tags', 'description'] as const) {
    const v = stringOption(args, key);
    if (v !== undefined) body[key] = v;
  }
  if (verb === 'add' && id) body.id = id;
  const method = verb === 'add' ? 'POST' : verb === 'update' ? 'PUT' : 'DELETE';
  const target = new URL(`/__sandbox/entries${verb === 'add' ? '' : `/${encodeURIComponent(id!)}`}`, root);
  let response;
  try {
    response = await request(target, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'DELETE' ? undefined : JSON.stringify(body),
      headersTimeout: 10000,
      bodyTimeout: 10000,
    });
  } catch (err) {
    throw new Error(`cannot reach the sandbox at ${root.origin} (${err instanceof Error ? err.message : String(err)}); is \`kwh sandbox\` running?`);
  }
  const text = await response.body.text();
  let result: Record<string, unknown>;
  try {
    result = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${root.origin} answered ${response.statusCode} with something that is not sandbox JSON; is that a kwh sandbox URL?`);
  }
  if (response.statusCode >= 400) throw new Error(String(result.error ?? `HTTP ${response.statusCode}`));
  if (flag(args, 'json')) writeOut(terminalJson(result) + '\n');
  else writeOut(`entry ${String(result.id)} ${verb === 'add' ? 'added' : verb === 'update' ? 'updated' : 'deleted'}: name="${String(result.name)}" status=${String(result.status)}\n`);
  return 0;
}

const command: CliCommand = {
  summary: 'run a local Kaltura-compatible API server that sends signed notifications',
  run(argv) {
    if (argv[0] === 'entry') return runEntry(argv.slice(1));
    return runServer(argv);
  },
};

export default command;
