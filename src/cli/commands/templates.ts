// `kwh templates list|system|clone|get|update|enable|disable|delete|dispatch …`: the event notification
// template service from the command line. Also home of the Kaltura connection options shared with `kwh register`.
import { terminalJson, writeErr, writeOut } from '../terminalOutput';
import { Agent } from 'undici';
import { flag, intOption, optionHelp, parseArgs, secretFromEnv, stringOption, listOption, UsageError, type OptionSpecs, type ParsedArgs } from '../args';
import type { CliCommand } from '../main';
import { createKalturaConnection, type KalturaConnection } from '../../core/kaltura/connection';
import { APP_TOKEN_HASH_TYPES, type AppTokenHashType } from '../../core/kaltura/ks';
import { KalturaApiError, KalturaTransportError } from '../../core/kaltura/errors';
import { DEFAULT_SERVICE_URL } from '../../core/kaltura/apiClient';
import { HTTP_TEMPLATE_TYPE, TemplateStatus, type AnyTemplate, type TemplateFilter } from '../../core/kaltura/schemas';
import type { SessionConfig } from '../../core/kaltura/session';
import { findSystemTemplate } from '../../core/kaltura/registration';
import { eventObjectTypeValue, eventTypeName, eventObjectTypeName, templateStatusName } from '../../protocol/names';

export const KALTURA_CONNECTION_OPTIONS: OptionSpecs = {
  'service-url': { value: true, description: `Kaltura API server (default ${DEFAULT_SERVICE_URL}; regional or on-prem URLs work too)` },
  'partner-id': { value: true, description: 'partner id (KMC > Settings > Integration Settings)' },
  'admin-secret-env': { value: true, description: 'NAME of the environment variable holding the admin secret (a KS is generated locally)' },
  'session-start': { description: 'with --admin-secret-env: get the KS from session.start instead of generating it locally' },
  'app-token-id': { value: true, description: 'app token id (use with --app-token-env)' },
  'app-token-env': { value: true, description: 'NAME of the environment variable holding the app token value' },
  'app-token-hash-type': { value: true, description: `the app token's hash type: ${APP_TOKEN_HASH_TYPES.join(', ')} (default SHA256)` },
  'user-id': { value: true, description: 'user id for the session (default none)' },
  'timeout-ms': { value: true, description: 'per-request timeout (default 30000)' },
  json: { description: 'print JSON instead of text' },
  verbose: { description: 'log each API call (service, action, timing; never parameters) to stderr' },
  help: { description: 'show this help' },
};

export interface CliConnection extends KalturaConnection {
  close(): Promise<void>;
}

/** Builds the client, session and template service from the shared options; secrets come only from env vars. */
export function connectionFromArgs(args: ParsedArgs): CliConnection {
  const log = flag(args, 'verbose') ? (line: string) => writeErr(`[kaltura ${new Date().toISOString().slice(11, 23)}] ${line}\n`) : undefined;
  const partnerText = stringOption(args, 'partner-id') ?? process.env.KALTURA_PARTNER_ID;
  if (!partnerText) throw new UsageError('--partner-id is required (or set KALTURA_PARTNER_ID)');
  const partnerId = Number(partnerText);
  if (!Number.isInteger(partnerId) || partnerId <= 0) throw new UsageError(`--partner-id must be a positive integer, got "${partnerText}"`);
  const userId = stringOption(args, 'user-id');
  const adminEnv = stringOption(args, 'admin-secret-env');
  const tokenId = stringOption(args, 'app-token-id');
  const tokenEnv = stringOption(args, 'app-token-env');
  let session: SessionConfig;
  if (adminEnv && (tokenId || tokenEnv)) throw new UsageError('use either --admin-secret-env or --app-token-id/--app-token-env, not both');
  if (adminEnv) {
    const secret = secretFromEnv(adminEnv, 'admin-secret-env');
    session = flag(args, 'session-start')
      ? { kind: 'sessionStart', partnerId, secret, userId }
      : { kind: 'localAdminSecret', partnerId, adminSecret: secret, userId };
  } else if (tokenId || tokenEnv) {
    if (!tokenId || !tokenEnv) throw new UsageError('an app token needs both --app-token-id ID and --app-token-env NAME');
    const hashText = (stringOption(args, 'app-token-hash-type') ?? 'SHA256').toUpperCase();
    if (!(APP_TOKEN_HASH_TYPES as readonly string[]).includes(hashText)) {
      throw new UsageError(`--app-token-hash-type must be one of ${APP_TOKEN_HASH_TYPES.join(', ')}, got "${hashText}"`);
    }
    session = { kind: 'appToken', partnerId, appTokenId: tokenId, appToken: secretFromEnv(tokenEnv, 'app-token-env'), hashType: hashText as AppTokenHashType, userId };
  } else {
    throw new UsageError('no credentials: pass --admin-secret-env NAME, or --app-token-id ID --app-token-env NAME');
  }
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });
  const connection = createKalturaConnection({
    serviceUrl: stringOption(args, 'service-url') ?? process.env.KALTURA_SERVICE_URL ?? DEFAULT_SERVICE_URL,
    timeoutMs: intOption(args, 'timeout-ms', 30_000),
    dispatcher,
    log,
    session,
  });
  return { ...connection, close: () => dispatcher.close() };
}

/** Text for an error from the Kaltura client: code, message and hint; never a stack for expected failures. */
export function describeKalturaFailure(err: unknown): string {
  if (err instanceof KalturaApiError) return err.message;
  if (err instanceof KalturaTransportError) return `${err.message}${err.attempts > 1 ? ` (after ${err.attempts} attempts)` : ''}`;
  if (err instanceof UsageError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

const SECRET_FIELDS = ['password', 'sslCertificatePassword', 'sslKeyPassword', 'sslKey'];

/** Template fields that hold credentials are shown as "<redacted>" unless asked for. */
export function redactTemplate(template: AnyTemplate): AnyTemplate {
  const copy: Record<string, unknown> = { ...template };
  for (const field of SECRET_FIELDS) if (typeof copy[field] === 'string' && copy[field] !== '') copy[field] = '<redacted>';
  return copy as AnyTemplate;
}

function templateLine(t: AnyTemplate): string {
  const status = templateStatusName(t.status) ?? String(t.status ?? '?');
  const event = [eventTypeName(t.eventType) ?? t.eventType, eventObjectTypeName(t.eventObjectType) ?? t.eventObjectType].filter((x) => x !== undefined).join('/');
  return [String(t.id).padEnd(8), status.padEnd(9), (t.systemName ?? '-').padEnd(40), event.padEnd(26), t.name ?? '', t.url ? ` → ${t.url}` : ''].join(' ');
}

function templateDetails(t: AnyTemplate): string {
  const lines = [templateLine(t)];
  const show = (label: string, value: unknown) => value !== undefined && lines.push(`  ${label.padEnd(22)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  show('type', t.type ?? t.objectType);
  show('url', t.url);
  show('method', t.method);
  show('secureHashingAlgo', t.secureHashingAlgo);
  show('manualDispatchEnabled', t.manualDispatchEnabled);
  show('automaticDispatchEnabled', t.automaticDispatchEnabled);
  show('data', t.data);
  show('customHeaders', t.customHeaders?.map((h) => `${h.key}: ${h.value}`).join('; '));
  return lines.join('\n');
}

function parseId(text: string | undefined, what = 'template id'): number {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${what} must be a positive integer, got "${text}"`);
  return n;
}

/** `--set key=value`: numbers, booleans and JSON are decoded; anything else stays a string. */
function parseSetValue(text: string): unknown {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      throw new UsageError(`--set value ${text} looks like JSON but does not parse`);
    }
  }
  return text;
}

function parseBoolean(text: string, name: string): boolean {
  if (/^(true|yes|1|on)$/i.test(text)) return true;
  if (/^(false|no|0|off)$/i.test(text)) return false;
  throw new UsageError(`--${name} must be true or false, got "${text}"`);
}

export function parseHashAlgo(text: string | undefined): 1 | 2 | 3 | undefined {
  if (text === undefined) return undefined;
  const map: Record<string, 1 | 2 | 3> = { '1': 1, sha1: 1, '2': 2, sha256: 2, '3': 3, sha512: 3 };
  const value = map[text.toLowerCase().replace(/[-_]/g, '')];
  if (!value) throw new UsageError(`--hash-algo must be sha1, sha256 or sha512 (1, 2, 3), got "${text}"`);
  return value;
}

const TEMPLATE_OPTIONS: OptionSpecs = {
  ...KALTURA_CONNECTION_OPTIONS,
  'page-size': { value: true, description: 'list: page size used while following all pages (default 500)' },
  type: { value: true, description: 'system: http (default) or all' },
  'system-name': { value: true, description: 'list: filter; clone: the new systemName' },
  status: { value: true, description: 'list: active or disabled' },
  name: { value: true, description: 'clone/update: display name' },
  description: { value: true, description: 'update: description' },
  url: { value: true, description: 'clone/update: notification URL' },
  'manual-dispatch': { value: true, description: 'clone/update: true or false' },
  'hash-algo': { value: true, description: 'clone/update: sha1, sha256 or sha512' },
  set: { value: true, repeat: true, description: 'update: any field, key=value (repeatable)' },
  enable: { description: 'clone: activate the clone' },
  'object-id': { value: true, description: 'dispatch: the object id (e.g. an entry id)' },
  'object-type': { value: true, description: 'dispatch: event object type, number or name (default 1 = ENTRY)' },
  'show-secrets': { description: 'get: show password fields instead of <redacted>' },
};

const USAGE = `usage: kwh templates <action> [args] [options]

actions:
  list                      the partner's own templates (all pages)
  system                    system (partner 0) templates to clone (all pages)
  clone SOURCE              clone a system template (id or systemName)
  get ID
  update ID                 --url, --name, --description, --manual-dispatch, --hash-algo, --set key=value
  enable ID | disable ID
  delete ID
  dispatch ID --object-id X [--object-type 1]

options:
${optionHelp(TEMPLATE_OPTIONS).join('\n')}`;

const TEMPLATE_ACTIONS = ['list', 'system', 'clone', 'get', 'update', 'enable', 'disable', 'delete', 'dispatch'];

function out(text: string): void {
  writeOut(text + '\n');
}

async function runAction(action: string, rest: string[], args: ParsedArgs, connection: CliConnection): Promise<number> {
  const templates = connection.templates;
  const json = flag(args, 'json');
  const print = (value: unknown, text: () => string) => out(json ? terminalJson(value, 2) : text());
  switch (action) {
    case 'list':
    case 'system': {
      const filter: TemplateFilter = {};
      const systemName = stringOption(args, 'system-name');
      if (systemName) filter.systemNameEqual = systemName;
      const status = stringOption(args, 'status');
      if (status) {
        const value = { active: TemplateStatus.ACTIVE, disabled: TemplateStatus.DISABLED }[status.toLowerCase()];
        if (!value) throw new UsageError(`--status must be active or disabled, got "${status}"`);
        filter.statusEqual = value;
      }
      const type = (stringOption(args, 'type') ?? (action === 'system' ? 'http' : 'all')).toLowerCase();
      if (type === 'http') filter.typeEqual = HTTP_TEMPLATE_TYPE;
      else if (type !== 'all') throw new UsageError(`--type must be http or all, got "${type}"`);
      const pageSize = intOption(args, 'page-size', 500);
      const list =
        action === 'system'
          ? await templates.listAllTemplates(Object.keys(filter).length ? filter : undefined, { pageSize })
          : await templates.listAll(Object.keys(filter).length ? filter : undefined, { pageSize });
      print(list.map(redactTemplate), () => (list.length ? list.map(templateLine).join('\n') : '(no templates)'));
      return 0;
    }
    case 'get': {
      const t = await templates.get(parseId(rest[0]));
      const shown = flag(args, 'show-secrets') ? t : redactTemplate(t);
      print(shown, () => templateDetails(shown));
      return 0;
    }
    case 'clone': {
      if (!rest[0]) throw new UsageError('clone needs the source template: id or systemName (see `kwh templates system`)');
      const source = await findSystemTemplate(templates, rest[0]);
      const overrides: Record<string, unknown> = { objectType: source.objectType ?? 'KalturaHttpNotificationTemplate' };
      const systemName = stringOption(args, 'system-name');
      if (systemName) overrides.systemName = systemName;
      const name = stringOption(args, 'name');
      if (name) overrides.name = name;
      const url = stringOption(args, 'url');
      if (url) overrides.url = url;
      const manual = stringOption(args, 'manual-dispatch');
      if (manual !== undefined) overrides.manualDispatchEnabled = parseBoolean(manual, 'manual-dispatch');
      const algo = parseHashAlgo(stringOption(args, 'hash-algo'));
      if (algo) overrides.secureHashingAlgo = algo;
      let t = await templates.clone(source.id, overrides);
      if (flag(args, 'enable')) t = await templates.updateStatus(t.id, TemplateStatus.ACTIVE);
      print(redactTemplate(t), () => `cloned ${source.id} (${source.systemName ?? source.name}) as:\n${templateDetails(redactTemplate(t))}`);
      return 0;
    }
    case 'update': {
      const id = parseId(rest[0]);
      const changes: Record<string, unknown> = {};
      for (const field of ['url', 'name', 'description'] as const) {
        const v = stringOption(args, field);
        if (v !== undefined) changes[field] = v;
      }
      const manual = stringOption(args, 'manual-dispatch');
      if (manual !== undefined) changes.manualDispatchEnabled = parseBoolean(manual, 'manual-dispatch');
      const algo = parseHashAlgo(stringOption(args, 'hash-algo'));
      if (algo) changes.secureHashingAlgo = algo;
      for (const pair of listOption(args, 'set')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--set needs key=value, got "${pair}"`);
        changes[pair.slice(0, eq)] = parseSetValue(pair.slice(eq + 1));
      }
      if (Object.keys(changes).length === 0) throw new UsageError('nothing to update: pass --url, --name, --description, --manual-dispatch, --hash-algo or --set key=value');
      const current = await templates.get(id);
      const t = await templates.update(id, { objectType: current.objectType ?? 'KalturaHttpNotificationTemplate', ...changes });
      print(redactTemplate(t), () => `updated:\n${templateDetails(redactTemplate(t))}`);
      return 0;
    }
    case 'enable':
    case 'disable': {
      const id = parseId(rest[0]);
      const t = action === 'enable' ? await templates.activate(id) : await templates.updateStatus(id, TemplateStatus.DISABLED);
      print(redactTemplate(t), () => templateLine(t));
      return 0;
    }
    case 'delete': {
      const id = parseId(rest[0]);
      await templates.delete(id);
      print({ deleted: id }, () => `deleted template ${id}`);
      return 0;
    }
    case 'dispatch': {
      const id = parseId(rest[0]);
      const objectId = stringOption(args, 'object-id');
      if (!objectId) throw new UsageError('dispatch needs --object-id (e.g. an entry id such as 0_abcd1234)');
      const typeText = stringOption(args, 'object-type') ?? '1';
      const scopeObjectType = /^\d+$/.test(typeText) ? Number(typeText) : (eventObjectTypeValue(typeText) ?? typeText);
      const jobId = await templates.dispatch(id, { objectId, scopeObjectType });
      print({ templateId: id, jobId }, () => `dispatched template ${id} for ${objectId}: job ${jobId}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown action "${action}"\n${USAGE}`);
  }
}

const command: CliCommand = {
  summary: 'list, clone, update, enable/disable, delete and dispatch Kaltura event notification templates',
  async run(argv) {
    const args = parseArgs(argv, TEMPLATE_OPTIONS);
    const [action, ...rest] = args.positionals;
    if (flag(args, 'help') || !action) {
      out(USAGE);
      return action || flag(args, 'help') ? 0 : 2;
    }
    if (!TEMPLATE_ACTIONS.includes(action)) throw new UsageError(`unknown action "${action}"\n${USAGE}`);
    const connection = connectionFromArgs(args);
    try {
      return await runAction(action, rest, args, connection);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      writeErr(`kwh templates ${action}: ${describeKalturaFailure(err)}\n`);
      return 1;
    } finally {
      await connection.close();
    }
  },
};

export default command;
