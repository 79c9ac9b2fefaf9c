// `kwh trigger sample KIND [--set path=value]... --to URL`, like `stripe trigger` with overrides: a sample event the
// way Kaltura (or EnableX) sends it, edited before it is encoded, signed with the secret from the environment
// variable you name, and sent to URL. Prints the answer's status and time.
// `kwh trigger --template ID [--entry ENTRY_ID]` makes a real Kaltura template fire: `dispatch` when Kaltura allows
// it, else the event the template listens to (core/kaltura/trigger.ts). Exits 0 once the action was taken.
import { request } from 'undici';
import type { CliCommand } from '../main';
import { flag, listOption, optionHelp, parseArgs, secretFromEnv, stringOption, UsageError, type OptionSpecs } from '../args';
import { terminalLine, writeErr, writeOut } from '../terminalOutput';
import { applySettings, SetPathError } from '../../core/forward/setPath';
import { buildSampleRequest, type SampleRequest } from '../../core/providers/samples';
import { isKalturaHashAlgo } from '../../protocol/signing';
import { triggerTemplate, waitForEntryProcessed } from '../../core/kaltura/trigger';
import { connectionFromArgs, describeKalturaFailure, KALTURA_CONNECTION_OPTIONS } from './templates';
import type { KalturaBodyFormat } from '../../protocol/kalturaBody';

const specs: OptionSpecs = {
  set: { value: true, repeat: true, description: 'change a field before signing: path=value (JSON or text), e.g. object.status=7 (repeatable)' },
  to: { value: true, description: 'where to send it (your app, or kwh listen)' },
  'kaltura-secret-env': { value: true, description: 'NAME of an env var holding the secret to sign with (kaltura)' },
  algo: { value: true, description: 'sha1 | sha256 | sha512 (kaltura; default sha256)' },
  format: { value: true, description: 'json | json-urlencoded | xml | php (kaltura; default json)' },
  help: { description: 'show this help' },
};

const templateSpecs: OptionSpecs = {
  ...KALTURA_CONNECTION_OPTIONS,
  template: { value: true, description: 'the id of one of your templates (kwh templates list)' },
  entry: { value: true, description: 'the entry to dispatch for or to change (not needed when a new entry is made)' },
  'media-url': { value: true, description: 'what a new trigger entry imports (default: a small public image)' },
  'delete-entry': { description: 'delete an entry the trigger created, once Kaltura has processed it' },
};

const FORMATS: KalturaBodyFormat[] = ['json', 'json-urlencoded', 'xml', 'php'];

function usage(): string {
  return [
    'usage: kwh trigger sample kaltura|enablex [--set path=value]... [--kaltura-secret-env NAME] [--algo A] [--format F] --to URL',
    '       kwh trigger --template ID [--entry ENTRY_ID] [--delete-entry] --partner-id N --admin-secret-env NAME [--service-url URL]',
    '',
    'sample:',
    ...optionHelp(specs, 28),
    '',
    '--template (dispatch when Kaltura allows it, else cause the event the template listens to):',
    ...optionHelp(templateSpecs, 28),
  ].join('\n');
}

async function runTemplateTrigger(argv: string[]): Promise<number> {
  const args = parseArgs(argv, templateSpecs);
  if (args.positionals.length) throw new UsageError(`kwh trigger --template takes no positional arguments, got "${args.positionals.join(' ')}"`);
  const idText = stringOption(args, 'template') ?? '';
  if (!/^\d+$/.test(idText)) throw new UsageError(`--template takes a template id (a number; see kwh templates list), got "${idText}"`);
  const connection = connectionFromArgs(args);
  try {
    const template = await connection.templates.get(Number(idText));
    const entryId = stringOption(args, 'entry');
    const mediaUrl = stringOption(args, 'media-url');
    const result = await triggerTemplate({
      templates: connection.templates,
      media: connection.media,
      categories: connection.categories,
      template,
      ...(entryId ? { entryId } : {}),
      ...(mediaUrl ? { mediaUrl } : {}),
    });
    writeOut(terminalLine(`${result.action}: ${result.summary}`) + '\n');
    if (result.createdEntryId && flag(args, 'delete-entry')) {
      await waitForEntryProcessed(connection.media, result.createdEntryId);
      await connection.media.delete(result.createdEntryId);
      writeOut(terminalLine(`deleted the trigger entry ${result.createdEntryId}`) + '\n');
    } else if (result.createdEntryId) {
      writeOut(terminalLine(`the entry stays; delete it in the KMC, or pass --delete-entry next time`) + '\n');
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    writeErr(terminalLine(`kwh trigger: ${err instanceof RangeError ? err.message : describeKalturaFailure(err)}`) + '\n');
    return 1;
  } finally {
    await connection.close();
  }
}

const trigger: CliCommand = {
  summary: 'make a template fire (--template), or send a sample event, edited with --set and signed like Kaltura, to a URL',
  async run(argv: string[]): Promise<number> {
    if (argv.some((a) => a === '--template' || a.startsWith('--template='))) return runTemplateTrigger(argv);
    const args = parseArgs(argv, specs);
    if (flag(args, 'help')) {
      writeOut(usage() + '\n');
      return 0;
    }
    const [what, kind, extra] = args.positionals;
    if (what !== 'sample' || (kind !== 'kaltura' && kind !== 'enablex') || extra !== undefined) {
      throw new UsageError(`expected "kwh trigger sample kaltura|enablex …"; see kwh trigger --help`);
    }
    const to = stringOption(args, 'to');
    if (!to || !/^https?:\/\//i.test(to)) throw new UsageError('--to takes the http:// or https:// URL to send the event to');
    const settings = listOption(args, 'set');
    const edit = (value: Record<string, unknown>) => {
      try {
        applySettings(value, settings);
      } catch (err) {
        if (err instanceof SetPathError) throw new UsageError(err.message);
        throw err;
      }
    };
    let sample: SampleRequest;
    if (kind === 'kaltura') {
      const algo = stringOption(args, 'algo') ?? 'sha256';
      if (!isKalturaHashAlgo(algo)) throw new UsageError(`--algo must be sha1, sha256 or sha512, got "${algo}"`);
      const format = (stringOption(args, 'format') ?? 'json') as KalturaBodyFormat;
      if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
      const envName = stringOption(args, 'kaltura-secret-env');
      const secret = envName ? secretFromEnv(envName, 'kaltura-secret-env') : undefined;
      sample = buildSampleRequest('kaltura', { algo, format, edit, path: new URL(to).pathname, ...(secret !== undefined ? { secret } : {}) });
    } else {
      sample = buildSampleRequest('enablex', { edit, path: new URL(to).pathname });
    }
    const started = performance.now();
    const headers = Object.entries(sample.headers).filter(([k]) => k.toLowerCase() !== 'host').flat();
    const response = await request(to, { method: sample.method, headers, body: sample.body.length ? sample.body : undefined, headersTimeout: 15_000, bodyTimeout: 15_000 });
    const text = await response.body.text();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    writeOut(terminalLine(`[${response.statusCode}] ${sample.method} ${to} (${ms} ms)${text ? `: ${text.slice(0, 200)}` : ''}`) + '\n');
    return response.statusCode >= 200 && response.statusCode < 300 ? 0 : 1;
  },
};

export default trigger;
