// `kwh replay EVENT_FILE_OR_ID [--set path=value]... [--resign|--keep-signature|--unsigned] --to URL`: re-sends a
// captured request (from a `kwh listen --json` line, an exported JSON file, or by id from a --store folder), edited
// and re-signed by choice. Sent to the workbench's receiver, the copy is linked to its original as a replay.
import { existsSync, readFileSync } from 'node:fs';
import type { CliCommand } from '../main';
import { flag, listOption, optionHelp, parseArgs, secretFromEnv, stringOption, UsageError, type OptionSpecs } from '../args';
import { terminalLine, writeOut } from '../terminalOutput';
import { eventLogPath, readEventLog } from '../../core/events/eventLog';
import { sessionPayloadCodec } from '../../core/session/sessionStore';
import { deserializeEvent, type SerializedEvent, type WebhookEvent } from '../../core/events/model';
import { EditError, editedEvent, type SignatureChoice } from '../../core/forward/editedReplay';
import { replayRequest } from '../../core/forward/replayRequest';
import { SetPathError } from '../../core/forward/setPath';

const specs: OptionSpecs = {
  set: { value: true, repeat: true, description: 'change a field of a JSON or form body: path=value (repeatable)' },
  to: { value: true, description: 'where to send it (your app, or kwh listen)' },
  store: { value: true, description: 'the --store folder of kwh listen, to find an event by id' },
  resign: { description: 're-sign with the secret of --kaltura-secret-env and the original algorithm (default when --set is given)' },
  'keep-signature': { description: 'keep the original signature headers (an edited body will then fail verification)' },
  unsigned: { description: 'send without signature headers' },
  'kaltura-secret-env': { value: true, description: 'NAME of an env var holding the secret to re-sign with' },
  help: { description: 'show this help' },
};

async function loadEvent(ref: string, store: string | undefined): Promise<WebhookEvent> {
  if (existsSync(ref)) {
    const json = JSON.parse(readFileSync(ref, 'utf8')) as SerializedEvent | SerializedEvent[];
    const first = Array.isArray(json) ? json[0] : json;
    if (!first || typeof first !== 'object' || !first.request) throw new UsageError(`${ref} holds no exported event`);
    return deserializeEvent(first);
  }
  if (!store) throw new UsageError(`"${ref}" is not a file; to replay an event by id, name its --store folder`);
  let found: WebhookEvent | undefined;
  await readEventLog(
    eventLogPath(store),
    (e) => {
      if (e.id === ref) found = e;
    },
    { codec: sessionPayloadCodec },
  );
  if (!found) throw new UsageError(`no event ${ref} in ${store}`);
  return found;
}

const replay: CliCommand = {
  summary: 'replay a captured request, edited with --set and re-signed by choice, to a URL',
  async run(argv: string[]): Promise<number> {
    const args = parseArgs(argv, specs);
    if (flag(args, 'help')) {
      writeOut(['usage: kwh replay EVENT_FILE_OR_ID [--set path=value]... [--resign|--keep-signature|--unsigned] [--kaltura-secret-env NAME] [--store DIR] --to URL', '', ...optionHelp(specs, 28)].join('\n') + '\n');
      return 0;
    }
    const [ref, extra] = args.positionals;
    if (!ref || extra !== undefined) throw new UsageError('give one event file or id; see kwh replay --help');
    const to = stringOption(args, 'to');
    if (!to || !/^https?:\/\//i.test(to)) throw new UsageError('--to takes the http:// or https:// URL to send the request to');
    const chosen = (['resign', 'keep-signature', 'unsigned'] as const).filter((c) => flag(args, c));
    if (chosen.length > 1) throw new UsageError(`choose one of --resign, --keep-signature and --unsigned (got ${chosen.join(', ')})`);
    const settings = listOption(args, 'set');
    const signature: SignatureChoice = chosen[0] === 'keep-signature' ? 'keep' : chosen[0] === 'unsigned' ? 'unsigned' : chosen[0] === 'resign' || settings.length > 0 ? 'resign' : 'keep';
    const envName = stringOption(args, 'kaltura-secret-env');
    const secret = envName ? secretFromEnv(envName, 'kaltura-secret-env') : undefined;
    const original = await loadEvent(ref, stringOption(args, 'store'));
    let event: WebhookEvent;
    try {
      event = editedEvent(original, settings, signature, secret);
    } catch (err) {
      if (err instanceof EditError || err instanceof SetPathError) throw new UsageError(err.message);
      throw err;
    }
    const result = await replayRequest(event, to);
    writeOut(terminalLine(`[${result.status}] ${event.request.method} ${result.url} (${result.durationMs} ms)${result.body ? `: ${result.body.slice(0, 200)}` : ''}`) + '\n');
    return result.status >= 200 && result.status < 300 ? 0 : 1;
  },
};

export default replay;
