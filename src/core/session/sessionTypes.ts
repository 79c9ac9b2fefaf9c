// What a session is asked to run (the plan), what it needs from its host (the ports), and what it shows (the
// snapshot). The CLI builds a plan from its arguments, the extension from its settings and SecretStorage.
import type { ForwardRecord, ResponseMode, WebhookEvent } from '../events/model';
import type { SessionConfig } from '../kaltura/session';
import type { Orphan } from '../kaltura/registration';
import type { BasicAuthCredential, SecretCandidate } from '../providers/types';
import type { TunnelManager, TunnelTimings } from '../tunnel';
import type { EndpointPlan } from './endpointPlan';

export type SessionState = 'stopped' | 'starting' | 'running' | 'stopping';

/** What start() is doing, for a progress message. */
export type StartStep = 'sandbox' | 'receiver' | 'localtunnel' | 'portForwarding' | 'external';

export type CleanupPolicy = 'disable' | 'delete' | 'keep';

/** The localtunnel client's options a user can choose (the local port is the receiver's). */
export interface LocaltunnelChoice {
  host?: string;
  subdomain?: string;
}

export interface LiveAccountPlan {
  /** Key of the account in the registration records. */
  key: string;
  serviceUrl: string;
  partnerId?: number;
  /** How to get a KS; absent when no credentials are stored (then `unavailable` says what to do). */
  session?: SessionConfig;
  unavailable?: string;
}

export interface SessionPlan {
  endpoint: EndpointPlan;
  receiver: { host: string; port: number; responseMode: ResponseMode; maxBodyBytes?: number };
  /** The Kaltura account to call, unless the endpoint plan starts the sandbox; none: receive only. */
  live?: LiveAccountPlan;
  localtunnel?: LocaltunnelChoice;
  /** Secrets signatures are checked against (the sandbox's own is added by the session). */
  kalturaSecrets: SecretCandidate[];
  basicAuth: BasicAuthCredential[];
  /** What Stop does with the templates this session registered. */
  cleanupPolicy: CleanupPolicy;
  /** Folder of the registration records; without it no templates are registered or cleaned up. */
  registryDirectory?: string;
  /** A tunnel that does not open fails the start (the CLI); otherwise the receiver stays up without it. */
  tunnelRequired?: boolean;
  /** Where every delivery is sent on to (read per request), like `stripe listen --forward-to`. */
  forwardTo?: () => string | undefined;
  /** Not a user choice: lets tests run a tunnel against a loopback tunnel server with fast timings. */
  tunnelTuning?: TunnelTimings & { probeVia?: string };
}

/** The sandbox as the session needs it (core does not import the sandbox; the host starts it). */
export interface SandboxHandle {
  readonly url: string;
  readonly partnerId: number;
  readonly adminSecret: string;
  close(): Promise<void>;
}

export interface SessionLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
  /** One line per Kaltura API call. */
  api(line: string): void;
  /** A secret that must never appear in what the log writes. */
  registerSecret(secret: string | undefined): void;
}

export type OrphanAnswer = 'disable' | 'delete' | 'adopt' | 'keep';

export interface SessionPorts<S extends SandboxHandle = SandboxHandle> {
  log: SessionLog;
  /** Starts the embedded sandbox (a plan with `endpoint.startSandbox` needs it). */
  startSandbox?: () => Promise<S>;
  /** The public URL of the receiver's port, for the portForwarding tunnel (VS Code's asExternalUri). */
  forwardedUrl?: (receiver: { host: string; port: number }) => Promise<string>;
  /** Asks what to do with templates an earlier session left active; without it they are left alone. */
  ask?: (question: { kind: 'orphans'; orphans: Orphan[] }) => Promise<OrphanAnswer | undefined>;
  /** Called before a tunnel starts, so the host can listen to all of its events. */
  onTunnel?: (tunnel: TunnelManager) => void;
  /** Called once the receiver listens, before the tunnel opens. */
  onReceiver?: (receiver: { url: string; host: string; port: number }) => void;
  /** Called once per request forwarded to `plan.forwardTo`. */
  onForwarded?: (event: WebhookEvent, record: ForwardRecord) => void;
}

export interface AccountInfo {
  mode: 'sandbox' | 'live';
  key: string;
  partnerId?: number;
  serviceUrl?: string;
  /** Why Kaltura API calls are unavailable (no secret stored, …). */
  unavailable?: string;
}

/** A copy of the session's state; it never changes after it is taken. */
export interface SessionSnapshot {
  readonly state: SessionState;
  readonly receiverUrl?: string;
  readonly publicUrl?: string;
  /** The base URL templates point at (the receiver for the sandbox, the public URL otherwise). */
  readonly webhookUrl?: string;
  readonly account?: Readonly<AccountInfo>;
  readonly responseMode?: ResponseMode;
  readonly registeredIds: ReadonlySet<number>;
  readonly lastError?: string;
}
