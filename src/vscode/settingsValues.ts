// The `kalturaWebhooks.*` settings as one typed snapshot: every default, choice and range in one table, checked
// against package.json's contributes.configuration by test/unit/vscode/settingsValues.test.ts. No `vscode` import,
// so the table and the reading of raw values are unit-tested in plain Node.
import type { ResponseMode } from '../core/events/model';
import type { CleanupPolicy } from '../core/session/sessionTypes';

export type { CleanupPolicy };
export type TunnelProvider = 'localtunnel' | 'external' | 'portForwarding' | 'none';
export type AccountMode = 'sandbox' | 'live';
export type AuthMethod = 'adminSecret' | 'appToken';

export interface WorkbenchSettings {
  host: string;
  /** 0 = any free port. */
  port: number;
  tunnelProvider: TunnelProvider;
  tunnelHost: string;
  tunnelSubdomain: string;
  tunnelPublicUrl: string;
  responseMode: ResponseMode;
  storeCapacity: number;
  storePersist: boolean;
  cleanupPolicy: CleanupPolicy;
  forwardUrl: string;
  /** Forward every incoming request to forwardUrl as it arrives. */
  forwardAuto: boolean;
  accountMode: AccountMode;
  serviceUrl: string;
  partnerId: number | undefined;
  authMethod: AuthMethod;
  appTokenId: string;
  appTokenHashType: (typeof SETTING_CHOICES)['account.appTokenHashType'][number];
  userId: string;
  enablexUsername: string;
  enablexAppId: string;
  /** What Dispatch imports into a new entry when a template needs one to fire (manual dispatch is off). */
  triggerMediaUrl: string;
}

export const SECTION = 'kalturaWebhooks';

/** Each setting's default, as package.json declares it (keys without the section). */
export const SETTING_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  'trigger.mediaUrl': '',
  'tunnel.provider': 'localtunnel',
  'tunnel.host': 'https://localtunnel.me',
  'tunnel.subdomain': '',
  'tunnel.publicUrl': '',
  responseMode: 'ok',
  'store.capacity': 5000,
  'store.persist': true,
  cleanupPolicy: 'disable',
  forwardUrl: '',
  'forward.auto': false,
  'account.mode': 'sandbox',
  'account.serviceUrl': 'https://www.kaltura.com',
  'account.partnerId': null,
  'account.authMethod': 'adminSecret',
  'account.appTokenId': '',
  'account.appTokenHashType': 'SHA256',
  'account.userId': '',
  'enablex.username': 'kaltura-workbench',
  'enablex.appId': '',
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/** The allowed values of the settings that are a choice. */
export const SETTING_CHOICES = {
  'tunnel.provider': ['localtunnel', 'external', 'portForwarding', 'none'],
  responseMode: ['ok', 'fail-500', 'timeout'],
  cleanupPolicy: ['disable', 'delete', 'keep'],
  'account.mode': ['sandbox', 'live'],
  'account.authMethod': ['adminSecret', 'appToken'],
  'account.appTokenHashType': ['MD5', 'SHA1', 'SHA256', 'SHA512'],
} as const satisfies Partial<Record<SettingKey, readonly string[]>>;

/** Bounds of the numeric settings (a value outside is clamped). */
export const SETTING_RANGES = {
  port: [0, 65535],
  'store.capacity': [100, 100000],
} as const satisfies Partial<Record<SettingKey, readonly [number, number]>>;

function oneOf<K extends keyof typeof SETTING_CHOICES>(get: (key: SettingKey) => unknown, key: K): (typeof SETTING_CHOICES)[K][number] {
  const value = get(key);
  const allowed: readonly string[] = SETTING_CHOICES[key];
  return (typeof value === 'string' && allowed.includes(value) ? value : SETTING_DEFAULTS[key]) as (typeof SETTING_CHOICES)[K][number];
}

function int(get: (key: SettingKey) => unknown, key: keyof typeof SETTING_RANGES): number {
  const raw = get(key);
  const n = typeof raw === 'number' ? raw : Number(raw);
  const [min, max] = SETTING_RANGES[key];
  if (raw === undefined || raw === null || raw === '' || !Number.isFinite(n)) return SETTING_DEFAULTS[key];
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

/** A trimmed string; an empty one falls back to a non-empty default. */
function text(get: (key: SettingKey) => unknown, key: SettingKey): string {
  const value = get(key);
  const fallback = SETTING_DEFAULTS[key];
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed || (typeof fallback === 'string' ? fallback : '');
}

function flag(get: (key: SettingKey) => unknown, key: 'store.persist' | 'forward.auto'): boolean {
  const value = get(key);
  return typeof value === 'boolean' ? value : SETTING_DEFAULTS[key];
}

/** The typed snapshot of the raw values `get` returns (undefined: not set). */
export function settingsFrom(get: (key: SettingKey) => unknown): WorkbenchSettings {
  const partner = get('account.partnerId');
  const partnerNum = partner === null || partner === undefined || partner === '' ? NaN : Number(partner);
  return {
    host: text(get, 'host'),
    port: int(get, 'port'),
    tunnelProvider: oneOf(get, 'tunnel.provider'),
    tunnelHost: text(get, 'tunnel.host'),
    tunnelSubdomain: text(get, 'tunnel.subdomain'),
    tunnelPublicUrl: text(get, 'tunnel.publicUrl'),
    responseMode: oneOf(get, 'responseMode'),
    storeCapacity: int(get, 'store.capacity'),
    storePersist: flag(get, 'store.persist'),
    cleanupPolicy: oneOf(get, 'cleanupPolicy'),
    forwardUrl: text(get, 'forwardUrl'),
    forwardAuto: flag(get, 'forward.auto'),
    accountMode: oneOf(get, 'account.mode'),
    serviceUrl: text(get, 'account.serviceUrl'),
    partnerId: Number.isInteger(partnerNum) && partnerNum > 0 ? partnerNum : undefined,
    authMethod: oneOf(get, 'account.authMethod'),
    appTokenId: text(get, 'account.appTokenId'),
    appTokenHashType: oneOf(get, 'account.appTokenHashType'),
    userId: text(get, 'account.userId'),
    enablexUsername: text(get, 'enablex.username'),
    enablexAppId: text(get, 'enablex.appId'),
    triggerMediaUrl: text(get, 'trigger.mediaUrl'),
  };
}
