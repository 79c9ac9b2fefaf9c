// `kwh listen`: the receiver, headless. First stdout line is `listening http://HOST:PORT`; then one line per event
// (readable, or serializeEvent() JSON with --json). Ctrl-C closes the tunnel and the receiver and flushes the store.
import { terminalJson, terminalLine, writeErr, writeOut } from '../terminalOutput';
import type { CliCommand } from '../main';
import { flag, intOption, listOption, optionHelp, parseArgs, secretFromEnv, stringOption, UsageError, type OptionSpecs } from '../args';
import { attachPrinter, tunnelOptionSpecs, tunnelPlanFromArgs } from '../tunnelOptions';
import { DEFAULT_STORE_CAPACITY } from '../../core/events/eventStore';
import type { ForwardRecord, WebhookEvent } from '../../core/events/model';
import { redactSerializedEvent } from '../../core/forward/exports';
import type { BasicAuthCredential, SecretCandidate, VerificationCredentials } from '../../core/providers/types';
import { DEFAULT_MAX_BODY_BYTES } from '../../core/receiver/receiverServer';
import { parseResponseMode, RESPONSE_MODES } from '../../core/receiver/responses';
import { SessionEngine } from '../../core/session/sessionEngine';
import { openSessionStore } from '../../core/session/sessionStore';
import type { SessionPlan } from '../../core/session/sessionTypes';

const listenOptionSpecs: OptionSpecs = {
  port: { value: true, description: 'port to listen on; 0 = any free port (default 0)' },
  host: { value: true, description: 'interface to bind (default 127.0.0.1)' },
  respond: { value: true, description: `${RESPONSE_MODES.join(' | ')} (default ok)` },
  'kaltura-secret-env': { value: true, repeat: true, description: 'NAME of an env var holding a Kaltura admin/signing secret (repeatable)' },
  'enablex-user': { value: true, description: 'expected EnableX webhook Basic-auth user name' },
  'enablex-pass-env': { value: true, description: 'NAME of an env var holding the EnableX Basic-auth password' },
  store: { value: true, description: 'folder for the persisted event log (events.jsonl); memory only when absent' },
  capacity: { value: true, description: 'events kept in memory (default 5000)' },
  'max-body-bytes': { value: true, description: `largest body accepted; larger ones get 413 (default ${DEFAULT_MAX_BODY_BYTES})` },
  json: { description: 'print each event as one JSON line' },
  'forward-to': { value: true, description: 'send every delivery on to this URL (your app) and print its answer and time' },
  help: { description: 'show this help' },
  ...tunnelOptionSpecs,
};

function usage(): string {
  const lines = optionHelp(listenOptionSpecs, 28);
  return [
    'usage: kwh listen [--port N] [--host H] [--respond ok|fail-500|timeout] [--kaltura-secret-env NAME]...',
    '                  [--enablex-user U --enablex-pass-env NAME] [--store DIR] [--forward-to URL] [--json] [tunnel options]',
    '',
    'Secrets are read from the environment variables you name, never from the command line.',
    '',
    ...lines,
  ].join('\n');
}

function readCredentials(args: ReturnType<typeof parseArgs>): VerificationCredentials {
  const kalturaSecrets: SecretCandidate[] = listOption(args, 'kaltura-secret-env').map((name) => ({
    label: name,
    secret: secretFromEnv(name, 'kaltura-secret-env'),
  }));
  const basicAuth: BasicAuthCredential[] = [];
  const user = stringOption(args, 'enablex-user');
  const passEnv = stringOption(args, 'enablex-pass-env');
  if ((user === undefined) !== (passEnv === undefined)) {
    throw new UsageError('--enablex-user and --enablex-pass-env go together: give the user name and the env var holding the password');
  }
  if (user !== undefined && passEnv !== undefined) {
    basicAuth.push({ label: `EnableX user ${user}`, username: user, password: secretFromEnv(passEnv, 'enablex-pass-env') });
  }
  return { kalturaSecrets, basicAuth };
}

/** One readable line: time, source, type, verification, summary, then retries and problems when there are any. */
export function formatEventLine(event: WebhookEvent): string {
  const time = event.receivedAt.slice(11, 23);
  const v = event.verification;
  const detail = [v.algorithm, v.secretLabel].filter(Boolean).join(', ');
  const verification = detail ? `${v.status}(${detail})` : v.status;
  const parts = [time, event.source, event.type, verification, event.summary];
  if (event.duplicateOf) parts.push(`[delivery ${event.deliveryCount}, retry of ${event.duplicateOf}]`);
  if (event.response && event.response.status !== 200) parts.push(`[answered ${event.response.status || 'nothing'}]`);
  if (event.problems.length > 0) parts.push(`[${event.problems.length} problem${event.problems.length > 1 ? 's' : ''}: ${event.problems[0]}]`);
  return parts.join('  ');
}

/**
 * The --json form of an event, credentials redacted. The request (its body above all) is printed with the first event
 * of a request only: a multi-notification of 1,000 parts prints its bytes once, not 1,000 times.
 */
export function jsonLineEvent(event: WebhookEvent): unknown {
  if (event.indexInRequest === 0) return redactSerializedEvent(event);
  const { request, ...rest } = event;
  return { ...rest, request: { requestId: request.requestId, sameAsEventIndex: 0 } };
}

/** `  -> [200] POST http://127.0.0.1:3000/hook (12.3 ms)`, or why the app could not be reached. */
export function formatForwardLine(event: WebhookEvent, record: ForwardRecord): string {
  if (record.error !== undefined) return `  -> forward of ${event.id} failed: ${record.error}`;
  return `  -> [${record.status}] ${event.request.method} ${record.url} (${record.durationMs} ms)`;
}

function shutdownSignal(): { received: Promise<NodeJS.Signals>; dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const received = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      dispose();
      // A second Ctrl-C while closing means "now".
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { received, dispose };
}

/** A running `kwh listen`: the session and how to end it. */
export interface ListenSession {
  readonly session: SessionEngine;
  close(): Promise<void>;
}

/**
 * Starts what the arguments ask for and prints its lines; the command waits for Ctrl-C and closes it. Shared with
 * the tests, which give fast tunnel timings.
 */
export async function startListening(
  argv: string[],
  print: (line: string) => void,
  warn: (line: string) => void,
  tunnelTuning?: SessionPlan['tunnelTuning'],
): Promise<ListenSession> {
  const args = parseArgs(argv, listenOptionSpecs);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"; see kwh listen --help`);
  const port = intOption(args, 'port', 0);
  if (port > 65535) throw new UsageError(`--port must be between 0 and 65535, got ${port}`);
  const host = stringOption(args, 'host') ?? '127.0.0.1';
  const respondValue = stringOption(args, 'respond') ?? 'ok';
  const responseMode = parseResponseMode(respondValue);
  if (!responseMode) throw new UsageError(`--respond must be one of ${RESPONSE_MODES.join(', ')}, got "${respondValue}"`);
  const capacity = intOption(args, 'capacity', DEFAULT_STORE_CAPACITY);
  if (capacity < 1) throw new UsageError('--capacity must be at least 1');
  const maxBodyBytes = intOption(args, 'max-body-bytes', DEFAULT_MAX_BODY_BYTES);
  if (maxBodyBytes < 1) throw new UsageError('--max-body-bytes must be at least 1');
  const credentials = readCredentials(args);
  const forwardTo = stringOption(args, 'forward-to');
  if (forwardTo !== undefined && !/^https?:\/\//i.test(forwardTo)) throw new UsageError(`--forward-to takes an http:// or https:// URL, got "${forwardTo}"`);
  const tunnel = tunnelPlanFromArgs(args);
  const storeDir = stringOption(args, 'store');
  const json = flag(args, 'json');

  const store = openSessionStore({ capacity, ...(storeDir ? { logDir: storeDir } : {}), onWarning: warn, lockOwner: 'kwh listen' });
  let loaded = 0;
  if (storeDir) {
    const result = await store.load();
    loaded = result.loaded;
    for (const w of result.warnings) warn(w);
  }
  const subscription = store.onChange((change) => {
    for (const event of change.added) print(json ? terminalJson(jsonLineEvent(event)) : terminalLine(formatEventLine(event)));
  });
  const session = new SessionEngine(store, {
    // The terminal shows events and tunnel lines; the session's own log lines would only repeat them.
    log: { info: () => undefined, warn: () => undefined, error: () => undefined, api: () => undefined, registerSecret: () => undefined },
    onReceiver: (receiver) => {
      print(`listening ${receiver.url}`);
      if (storeDir) print(`loaded ${loaded} events from ${storeDir}`);
      if (responseMode !== 'ok') {
        print(
          responseMode === 'fail-500'
            ? 'responding 500 to every request (fail-500 mode), so senders will retry'
            : 'holding every request without an answer (timeout mode), so senders will time out and retry',
        );
      }
      if (forwardTo) print(`forwarding every delivery to ${forwardTo}`);
    },
    onTunnel: (manager) => attachPrinter(manager, print),
    onForwarded: (event, record) =>
      print(json ? terminalJson({ forwarded: { eventId: event.id, ...record } }) : terminalLine(formatForwardLine(event, record))),
  });
  const close = async () => {
    await session.stop();
    subscription.dispose();
    await store.close();
  };
  try {
    await session.start({
      endpoint: tunnel.endpoint,
      receiver: { host, port, responseMode, maxBodyBytes },
      ...(tunnel.localtunnel ? { localtunnel: tunnel.localtunnel } : {}),
      kalturaSecrets: credentials.kalturaSecrets,
      basicAuth: credentials.basicAuth,
      cleanupPolicy: 'keep',
      tunnelRequired: true,
      ...(forwardTo ? { forwardTo: () => forwardTo } : {}),
      ...(tunnelTuning ? { tunnelTuning } : {}),
    });
  } catch (err) {
    subscription.dispose();
    await store.close();
    throw err;
  }
  return { session, close };
}

const listen: CliCommand = {
  summary: 'receive, verify and print webhooks (optionally through a tunnel)',
  async run(argv: string[]): Promise<number> {
    if (flag(parseArgs(argv, listenOptionSpecs), 'help')) {
      writeOut(usage() + '\n');
      return 0;
    }
    const print = (line: string) => void writeOut(line + '\n');
    const warn = (line: string) => void writeErr(`kwh listen: warning: ${line}\n`);
    const signal = shutdownSignal();
    let running: ListenSession;
    try {
      running = await startListening(argv, print, warn);
    } catch (err) {
      signal.dispose();
      throw err;
    }
    await signal.received;
    await running.close();
    return 0;
  },
};

export default listen;
