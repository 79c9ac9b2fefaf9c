// One typed accessor over `kalturaWebhooks.*`. Everything else reads settings through `Settings`,
// so the core receives plain values and never touches the VS Code configuration API.
import * as vscode from 'vscode';
import type { ResponseMode } from '../core/events/model';

export type TunnelProvider = 'localtunnel' | 'external' | 'portForwarding' | 'none';
export type CleanupPolicy = 'disable' | 'delete' | 'keep';
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
  appTokenHashType: string;
  userId: string;
  enablexUsername: string;
  enablexAppId: string;
  /** What Dispatch imports into a new entry when a template needs one to fire (manual dispatch is off). */
  triggerMediaUrl: string;
}

export const SECTION = 'kalturaWebhooks';

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function int(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

export function readSettings(): WorkbenchSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const partner = c.get<number | string | null>('account.partnerId');
  const partnerNum = partner === null || partner === undefined || partner === '' ? NaN : Number(partner);
  return {
    host: str(c.get('host'), '127.0.0.1') || '127.0.0.1',
    port: int(c.get('port'), 0, 0, 65535),
    tunnelProvider: oneOf(c.get('tunnel.provider'), ['localtunnel', 'external', 'portForwarding', 'none'] as const, 'localtunnel'),
    tunnelHost: str(c.get('tunnel.host'), 'https://localtunnel.me') || 'https://localtunnel.me',
    tunnelSubdomain: str(c.get('tunnel.subdomain')),
    tunnelPublicUrl: str(c.get('tunnel.publicUrl')),
    responseMode: oneOf(c.get('responseMode'), ['ok', 'fail-500', 'timeout'] as const, 'ok'),
    storeCapacity: int(c.get('store.capacity'), 5000, 100, 100000),
    storePersist: c.get<boolean>('store.persist') ?? true,
    cleanupPolicy: oneOf(c.get('cleanupPolicy'), ['disable', 'delete', 'keep'] as const, 'disable'),
    forwardUrl: str(c.get('forwardUrl')),
    forwardAuto: c.get<boolean>('forward.auto') ?? false,
    accountMode: oneOf(c.get('account.mode'), ['sandbox', 'live'] as const, 'sandbox'),
    serviceUrl: str(c.get('account.serviceUrl'), 'https://www.kaltura.com') || 'https://www.kaltura.com',
    partnerId: Number.isInteger(partnerNum) && partnerNum > 0 ? partnerNum : undefined,
    authMethod: oneOf(c.get('account.authMethod'), ['adminSecret', 'appToken'] as const, 'adminSecret'),
    appTokenId: str(c.get('account.appTokenId')),
    appTokenHashType: str(c.get('account.appTokenHashType'), 'SHA256') || 'SHA256',
    userId: str(c.get('account.userId')),
    enablexUsername: str(c.get('enablex.username'), 'kaltura-workbench') || 'kaltura-workbench',
    enablexAppId: str(c.get('enablex.appId')),
    triggerMediaUrl: str(c.get('trigger.mediaUrl')),
  };
}

/** Writes a setting to the user (global) scope. */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

/** Calls `listener` with fresh settings whenever any `kalturaWebhooks.*` setting changes. */
export function onSettingsChanged(
  listener: (settings: WorkbenchSettings, event: vscode.ConfigurationChangeEvent) => void,
): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener(readSettings(), e);
  });
}
