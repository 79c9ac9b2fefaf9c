// Kaltura Sessions (KS): local generation of v1 and v2 sessions from a partner secret, decoding and validating
// them (used by the sandbox to authenticate requests), and the app-token hash. Algorithms follow the official
// Python client (`generateSession`, `generateSessionV2`); see kaltura-protocol.md §3.4–3.5.
import { createCipheriv, createDecipheriv, createHash, randomBytes as cryptoRandomBytes, timingSafeEqual } from 'node:crypto';

/** KalturaSessionType. */
export const KS_TYPE_USER = 0;
export const KS_TYPE_ADMIN = 2;

export type AppTokenHashType = 'MD5' | 'SHA1' | 'SHA256' | 'SHA512';
export const APP_TOKEN_HASH_TYPES: readonly AppTokenHashType[] = ['MD5', 'SHA1', 'SHA256', 'SHA512'];

export interface KsV1Input {
  secret: string;
  partnerId: number;
  /** Absolute expiry, unix seconds. */
  expiryAbs: number;
  type: number;
  userId: string;
  /** Comma-separated privileges, e.g. `disableentitlement,sview:0_abc`. */
  privileges: string;
  /** Random integer 0…0x10000 (the official clients pick one). */
  rand: number;
}

export interface KsV2Input {
  secret: string;
  partnerId: number;
  expiryAbs: number;
  type: number;
  userId: string;
  privileges: string;
  /** 16 bytes; random when omitted. Fixed only to reproduce test vectors. */
  randomBytes?: Buffer;
}

export interface DecodedKs {
  ok: true;
  version: 1 | 2;
  partnerId: number;
  /** Absolute expiry, unix seconds. The caller compares it with its own clock. */
  expiry: number;
  type: number;
  userId: string;
  /** Comma-separated privileges as `key:value` or `key`. */
  privileges: string;
  /** Privileges as a map (`key` without a value maps to ""). */
  privilegeMap: Record<string, string>;
}

export type KsErrorReason = 'malformed' | 'unknown_partner' | 'invalid_signature';

export interface KsError {
  ok: false;
  reason: KsErrorReason;
  message: string;
  /** Present when the partner could be read from the KS. */
  partnerId?: number;
}

const sha1Hex = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex');
const sha1Raw = (data: string | Buffer): Buffer => createHash('sha1').update(data).digest();

export function generateKsV1(input: KsV1Input): string {
  const info = [input.partnerId, input.partnerId, input.expiryAbs, input.type, input.rand, input.userId, input.privileges].join(';');
  const signature = sha1Hex(input.secret + info);
  return Buffer.from(`${signature}|${info}`, 'utf8').toString('base64');
}

/** Python `quote_plus`: only ALPHA / DIGIT / `_.-~` stay literal, space becomes `+`. */
function quotePlus(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** Privilege list → ordered map, as `generateSessionV2` builds it: `*` means `all:*`, split on the first `:`. */
export function parsePrivileges(privileges: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of privileges.split(',')) {
    let privilege = raw.trim();
    if (!privilege) continue;
    if (privilege === '*') privilege = 'all:*';
    const colon = privilege.indexOf(':');
    if (colon === -1) fields.set(privilege, '');
    else fields.set(privilege.slice(0, colon), privilege.slice(colon + 1));
  }
  return fields;
}

/** The form-encoded field string a v2 KS encrypts (exposed so tests can check it against the vector). */
export function ksV2FieldsString(input: Omit<KsV2Input, 'secret' | 'randomBytes' | 'partnerId'>): string {
  const fields = parsePrivileges(input.privileges);
  // Reserved fields go last and must not be overridden by a privilege with the same name.
  fields.delete('_e');
  fields.delete('_t');
  fields.delete('_u');
  fields.set('_e', String(input.expiryAbs));
  fields.set('_t', String(input.type));
  fields.set('_u', String(input.userId));
  return [...fields].map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');
}

function aesKey(secret: string): Buffer {
  return sha1Raw(Buffer.from(secret, 'utf8')).subarray(0, 16);
}

export function generateKsV2(input: KsV2Input): string {
  const rnd = input.randomBytes ?? cryptoRandomBytes(16);
  if (rnd.length !== 16) throw new RangeError(`KS v2 needs exactly 16 random bytes, got ${rnd.length}`);
  const payload = Buffer.concat([rnd, Buffer.from(ksV2FieldsString(input), 'utf8')]);
  const plain = Buffer.concat([sha1Raw(payload), payload]);
  const padded = Buffer.alloc(Math.ceil(plain.length / 16) * 16);
  plain.copy(padded);
  const cipher = createCipheriv('aes-128-cbc', aesKey(input.secret), Buffer.alloc(16));
  cipher.setAutoPadding(false);
  const encrypted = Buffer.concat([cipher.update(padded), cipher.final()]);
  const raw = Buffer.concat([Buffer.from(`v2|${input.partnerId}|`, 'utf8'), encrypted]);
  return raw.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export function appTokenHash(ks: string, token: string, hashType: AppTokenHashType): string {
  const algorithm = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' }[hashType];
  if (!algorithm) throw new RangeError(`unknown app token hash type "${String(hashType)}"; use one of ${APP_TOKEN_HASH_TYPES.join(', ')}`);
  return createHash(algorithm).update(ks + token, 'utf8').digest('hex');
}

export function isKsError(value: DecodedKs | KsError): value is KsError {
  return value.ok === false;
}

export function isKsExpired(ks: DecodedKs, nowSeconds: number = Math.floor(Date.now() / 1000)): boolean {
  return ks.expiry <= nowSeconds;
}

function fail(reason: KsErrorReason, message: string, partnerId?: number): KsError {
  return partnerId === undefined ? { ok: false, reason, message } : { ok: false, reason, message, partnerId };
}

function base64ToBuffer(text: string): Buffer | undefined {
  const normalized = text.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!normalized || !/^[A-Za-z0-9+/]+={0,2}$/.test(normalized)) return undefined;
  return Buffer.from(normalized, 'base64');
}

function privilegesFromMap(map: Map<string, string>): string {
  return [...map].map(([k, v]) => (v === '' ? k : `${k}:${v}`)).join(',');
}

function toInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

function secretsOf(secretFor: (partnerId: number) => string | readonly string[] | undefined, partnerId: number): string[] {
  const found = secretFor(partnerId);
  if (found === undefined) return [];
  return (typeof found === 'string' ? [found] : [...found]).filter((s) => s !== '');
}

function sameHex(a: string, b: string): boolean {
  const ab = Buffer.from(a.toLowerCase());
  const bb = Buffer.from(b.toLowerCase());
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function decodeV1(raw: Buffer, secretFor: (partnerId: number) => string | readonly string[] | undefined): DecodedKs | KsError {
  const text = raw.toString('utf8');
  const bar = text.indexOf('|');
  if (bar !== 40) return fail('malformed', 'KS v1 must be base64 of "<sha1 hex>|<fields>"');
  const signature = text.slice(0, bar);
  const info = text.slice(bar + 1);
  const parts = info.split(';');
  const partnerId = toInt(parts[0]);
  const expiry = toInt(parts[2]);
  const type = toInt(parts[3]);
  if (parts.length < 6 || partnerId === undefined || expiry === undefined || type === undefined) {
    return fail('malformed', 'KS v1 fields must be "partnerId;partnerId;expiry;type;rand;userId;privileges"');
  }
  const secrets = secretsOf(secretFor, partnerId);
  if (secrets.length === 0) return fail('unknown_partner', `no secret is known for partner ${partnerId}`, partnerId);
  if (!secrets.some((secret) => sameHex(sha1Hex(secret + info), signature))) {
    return fail('invalid_signature', `KS v1 signature does not match any secret of partner ${partnerId}`, partnerId);
  }
  const privileges = parts[6] ?? '';
  return {
    ok: true,
    version: 1,
    partnerId,
    expiry,
    type,
    userId: parts[5] ?? '',
    privileges,
    privilegeMap: Object.fromEntries(parsePrivileges(privileges)),
  };
}

function decryptV2(ciphertext: Buffer, secret: string): Buffer | undefined {
  const decipher = createDecipheriv('aes-128-cbc', aesKey(secret), Buffer.alloc(16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  const rest = plain.subarray(0, end);
  if (rest.length < 36) return undefined;
  const hash = rest.subarray(0, 20);
  if (!timingSafeEqual(hash, sha1Raw(rest.subarray(20)))) return undefined;
  return rest.subarray(36);
}

function decodeV2(raw: Buffer, secretFor: (partnerId: number) => string | readonly string[] | undefined): DecodedKs | KsError {
  const secondBar = raw.indexOf(0x7c, 3);
  const partnerId = secondBar === -1 ? undefined : toInt(raw.subarray(3, secondBar).toString('latin1'));
  if (secondBar === -1 || partnerId === undefined) return fail('malformed', 'KS v2 must start with "v2|<partnerId>|"');
  const ciphertext = raw.subarray(secondBar + 1);
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    return fail('malformed', 'KS v2 ciphertext is not a whole number of AES blocks (truncated?)', partnerId);
  }
  const secrets = secretsOf(secretFor, partnerId);
  if (secrets.length === 0) return fail('unknown_partner', `no secret is known for partner ${partnerId}`, partnerId);
  let fieldsBytes: Buffer | undefined;
  for (const secret of secrets) {
    fieldsBytes = decryptV2(ciphertext, secret);
    if (fieldsBytes) break;
  }
  if (!fieldsBytes) return fail('invalid_signature', `KS v2 does not decrypt to a valid hash with any secret of partner ${partnerId}`, partnerId);
  const fields = new URLSearchParams(fieldsBytes.toString('utf8'));
  const expiry = toInt(fields.get('_e') ?? undefined);
  const type = toInt(fields.get('_t') ?? undefined);
  if (expiry === undefined || type === undefined) return fail('malformed', 'KS v2 lacks the _e (expiry) or _t (type) field', partnerId);
  const privilegeMap = new Map<string, string>();
  for (const [key, value] of fields) {
    if (key !== '_e' && key !== '_t' && key !== '_u') privilegeMap.set(key, value);
  }
  return {
    ok: true,
    version: 2,
    partnerId,
    expiry,
    type,
    userId: fields.get('_u') ?? '',
    privileges: privilegesFromMap(privilegeMap),
    privilegeMap: Object.fromEntries(privilegeMap),
  };
}

/**
 * Validates a KS (v1 sha1 signature, v2 AES-128-CBC + sha1) with the partner's secret(s). Expiry is reported,
 * not enforced: the caller compares `expiry` with its clock (see `isKsExpired`).
 */
export function decodeKs(ks: string, secretFor: (partnerId: number) => string | readonly string[] | undefined): DecodedKs | KsError {
  if (typeof ks !== 'string' || ks.trim() === '') return fail('malformed', 'the KS is empty');
  const raw = base64ToBuffer(ks);
  if (!raw || raw.length < 4) return fail('malformed', 'the KS is not base64');
  try {
    if (raw.subarray(0, 3).toString('latin1') === 'v2|') return decodeV2(raw, secretFor);
    return decodeV1(raw, secretFor);
  } catch (err) {
    return fail('malformed', `the KS could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
}
