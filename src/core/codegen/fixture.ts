// The generated test's fixture: the captured request with credentials and transport headers removed, string
// values replaced by placeholders (unless the user keeps them), and the signature re-computed with a dummy
// secret so the generated test verifies for real without the user's secret.
import {
  decodeKalturaBody,
  decodeXmlEntities,
  encodeFormPairs,
  encodeXmlText,
  formEncode,
  formPairsToRecord,
  parseFormPairs,
  type DecodedBody,
} from './bodyFormats';
import { setOwn } from '../../protocol/ownProps';
import type { CodegenCapture } from './captureInput';
import { isKalturaHashAlgo, kalturaSignature, legacySig } from '../../protocol/signing';
import {
  CodegenError,
  TEST_BASIC_PASSWORD,
  TEST_BASIC_USER,
  TEST_SECRET,
  secretEnvNames,
} from './types';

export interface StubFixture {
  generatedBy: string;
  note: string;
  source: string;
  eventType: string;
  /** Environment the generated test configures the stub with: dummy credentials only. */
  testEnv: Record<string, string>;
  request: { method: string; path: string; headers: Record<string, string>; body: string };
  expect: { status: number; notifications: number };
}

export interface FixtureOptions {
  keepExampleValues: boolean;
  redactHeaders: string[];
}

export interface PreparedCapture {
  fixture: StubFixture;
  /** Decoded notification payloads of the captured body, one per notification (legacy multi: several). */
  payloads: unknown[];
  format: DecodedBody['format'];
}

// Credentials, session material, client addresses (personal data) and hop-by-hop headers the client recomputes.
const droppedHeaders =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-kwh-token|host|content-length|connection|transfer-encoding|keep-alive|te|trailer|upgrade|expect|forwarded|via|x-real-ip|cf-connecting-ip|true-client-ip|x-forwarded-.*|x-kaltura-signature)$/i;
const secretLookingHeaders = /(token|secret|passw|api[-_]?key|session|auth|signature|^ks$)/i;

export function redactHeaders(headers: Record<string, string>, extra: string[]): Record<string, string> {
  const extraSet = new Set(extra.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (droppedHeaders.test(lower) || secretLookingHeaders.test(lower) || extraSet.has(lower)) continue;
    setOwn(out, lower, value);
  }
  return out;
}

// Values that describe the event's kind rather than a person or an account: kept so the stub's logic still applies.
const structuralKeys = new Set([
  'objectType', 'eventType', 'eventObjectType', 'templateSystemName', 'templateName', 'notification_type', 'signed_fields',
  'multi_notification', 'number_of_notifications', 'type', 'status', 'media_type', 'mediaType', 'format', 'stage',
]);

/** A type-appropriate placeholder for a captured string value. */
export function redactString(key: string, value: string): string {
  if (structuralKeys.has(key) || value === '') return value;
  if (/^-?\d{1,10}$/.test(value) || /^(true|false)$/i.test(value)) return value;
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return 'user@example.com';
  if (/^https?:\/\//i.test(value)) return 'https://example.com/redacted';
  if (/^\d_[A-Za-z0-9]{8}$/.test(value)) return '0_xxxxxxxx';
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return '2000-01-01T00:00:00Z';
  return `redacted-${key.replace(/[^A-Za-z0-9_]/g, '').slice(0, 40) || 'value'}`;
}

export function redactJson(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return redactString(key, value);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) setOwn(out, k, redactJson(v, k));
    return out;
  }
  return value;
}

export function redactXml(xml: string): string {
  return xml.replace(/<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]*)<\/\1\s*>/g, (_, name: string, attrs: string | undefined, text: string) =>
    `<${name}${attrs ?? ''}>${encodeXmlText(redactString(name, decodeXmlEntities(text)))}</${name}>`,
  );
}

/** Legacy form fields: `not2_name` is redacted by the rule for `name`. */
function redactLegacyPairs(pairs: Array<[string, string]>): Array<[string, string]> {
  return pairs.map(([k, v]) => [k, k === 'sig' ? v : redactString(k.replace(/^not\d+_/, ''), v)]);
}

/** The notifications of a legacy request: one per `notN_` group for a multi-notification, else the fields themselves. */
export function splitLegacyNotifications(pairs: Array<[string, string]>): Array<Record<string, string>> {
  const params = formPairsToRecord(pairs);
  const multi = params['multi_notification'];
  if (multi !== undefined && multi !== '' && multi !== '0') {
    const groups = new Map<number, Record<string, string>>();
    for (const [key, value] of Object.entries(params)) {
      const m = /^not(\d+)_(.*)$/.exec(key);
      if (!m) continue;
      const index = Number(m[1]);
      if (!groups.has(index)) groups.set(index, {});
      setOwn(groups.get(index)!, m[2]!, value);
    }
    return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, fields]) => fields);
  }
  const { sig: _sig, signed_fields: _signed, ...fields } = params;
  return [fields];
}

function replaceSigParam(body: string, sig: string): string {
  return /(^|&)sig=[^&]*/.test(body) ? body.replace(/(^|&)sig=[^&]*/, `$1sig=${sig}`) : `${body}&sig=${sig}`;
}

function reencodeKaltura(text: string, decoded: DecodedBody): string {
  const prefix = decoded.dataPrefix ? 'data=' : '';
  switch (decoded.format) {
    case 'json': {
      const json = JSON.stringify(redactJson(decoded.data));
      return prefix + (decoded.urlEncoded ? formEncode(json) : json);
    }
    case 'xml': {
      const xml = redactXml(decoded.urlEncoded ? decodeURIComponent(text.slice(5).replace(/\+/g, ' ')) : text.slice(prefix.length));
      return prefix + (decoded.urlEncoded ? formEncode(xml) : xml);
    }
    case 'fields':
      return encodeFormPairs(parseFormPairs(text).map(([k, v]) => [k, redactString(k, v)]));
    case 'text':
      return prefix + 'redacted text';
    case 'empty':
      return text;
  }
}

export function prepareCapture(capture: CodegenCapture, options: FixtureOptions): PreparedCapture {
  const text = capture.body.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(capture.body)) {
    throw new CodegenError('the captured body is not valid UTF-8 text; Kaltura and EnableX send text bodies, so this does not look like a webhook to generate from');
  }
  const headers = redactHeaders(capture.headers, options.redactHeaders);
  const keep = options.keepExampleValues;
  let body: string;
  let payloads: unknown[];
  let format: DecodedBody['format'];
  let testEnv: Record<string, string>;
  let note = keep
    ? 'Example values kept as captured (you chose to keep them). '
    : 'String values replaced by placeholders; field names and numbers kept. ';
  note += 'Authorization, cookies, tokens and client addresses removed. ';

  switch (capture.source) {
    case 'kaltura': {
      let decoded: DecodedBody;
      try {
        decoded = decodeKalturaBody(text, capture.headers['content-type'] ?? '');
      } catch (err) {
        throw new CodegenError(`cannot infer types from the captured body: ${(err as Error).message}`);
      }
      format = decoded.format;
      payloads = [decoded.data];
      body = keep ? text : reencodeKaltura(text, decoded);
      const algoHeader = capture.headers['x-kaltura-hash-algo']?.trim().toLowerCase();
      const algorithm = algoHeader && isKalturaHashAlgo(algoHeader) ? algoHeader : 'sha1';
      if (algoHeader !== undefined) headers['x-kaltura-hash-algo'] = algorithm;
      headers['x-kaltura-signature'] = kalturaSignature(TEST_SECRET, Buffer.from(body, 'utf8'), algorithm);
      note += capture.headers['x-kaltura-signature']
        ? `X-KALTURA-SIGNATURE re-computed with the dummy secret "${TEST_SECRET}".`
        : `The captured request was unsigned; a ${algorithm} X-KALTURA-SIGNATURE with the dummy secret "${TEST_SECRET}" was added.`;
      testEnv = { [secretEnvNames.kalturaAdminSecret]: TEST_SECRET };
      break;
    }
    case 'kaltura-legacy': {
      const pairs = parseFormPairs(text);
      format = 'fields';
      payloads = splitLegacyNotifications(pairs);
      const redacted = keep ? pairs : redactLegacyPairs(pairs);
      // Repeated keys: the last value counts, as PHP's $_POST has it.
      const sig = legacySig([...new Map(redacted)], TEST_SECRET);
      body = replaceSigParam(keep ? text : encodeFormPairs(redacted), sig);
      note += `sig re-computed with the dummy secret "${TEST_SECRET}".`;
      testEnv = { [secretEnvNames.kalturaAdminSecret]: TEST_SECRET };
      break;
    }
    case 'enablex': {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new CodegenError(`cannot infer types: the captured EnableX body is not JSON (${(err as Error).message})`);
      }
      format = 'json';
      payloads = [data];
      body = keep ? text : JSON.stringify(redactJson(data));
      note += `The generated test sends Basic auth with the dummy credentials in testEnv.`;
      testEnv = { [secretEnvNames.enablexUser]: TEST_BASIC_USER, [secretEnvNames.enablexPassword]: TEST_BASIC_PASSWORD };
      break;
    }
  }

  const fixture: StubFixture = {
    generatedBy: 'Kaltura Webhook Workbench',
    note,
    source: capture.source,
    eventType: capture.eventType,
    testEnv,
    request: { method: capture.method, path: capture.path, headers, body },
    expect: { status: 200, notifications: payloads.length },
  };
  return { fixture, payloads, format };
}
