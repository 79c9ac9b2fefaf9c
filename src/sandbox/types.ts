// Public shapes of the sandbox: options, the handle returned by startSandbox, deliveries, faults and entries.

/** A Kaltura API object as it travels in JSON: plain members plus `objectType`. */
export type ApiObject = { objectType?: string; [key: string]: unknown };

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = any free port. Default 0. */
  port?: number;
  /** The local partner. Default: a random 6-digit id. */
  partnerId?: number;
  /** The partner's admin secret. Default: 32 random hex characters (a throwaway local account). */
  adminSecret?: string;
  /** Fixed retry interval between delivery attempts (Kaltura: 60 s). Default 2000 ms for local use. */
  retryIntervalMs?: number;
  /** Attempts per notification job, including the first (Kaltura default_job_execution_attempt = 3). Default 3. */
  maxAttempts?: number;
  /** Folder for sandbox.json (partners, templates, entries, app tokens). No persistence when absent. */
  dataDir?: string;
  /** Time per status step of an entry added with media.addFromUrl (IMPORT → [PRECONVERT →] READY). Default 1500 ms. */
  importStepMs?: number;
}

export interface DeliveryAttempt {
  templateId: number;
  templateSystemName?: string;
  partnerId: number;
  /** eventNotificationJobId: the same on every attempt of one job. */
  jobId: number;
  url: string;
  method: string;
  /** HTTP status, or 0 when no response arrived (connection refused, timeout). */
  status: number;
  /** 1-based. */
  attempt: number;
  maxAttempts: number;
  /** ISO 8601 time the attempt started. */
  at: string;
  durationMs: number;
  /** True when the attempt counts as delivered: 200 or 204, an empty body included (kaltura-protocol.md §5). */
  ok: boolean;
  /** Why the attempt failed (status, network error). */
  error?: string;
  /** True when another attempt is scheduled. */
  willRetry: boolean;
  /** manual = eventNotificationTemplate.dispatch; event = fired by an entry event. */
  trigger: 'manual' | 'event';
  eventType?: string;
  objectId?: string;
}

export type FaultMode = 'none' | 'http-500' | 'hang' | 'malformed-json' | 'expire-ks';

export interface FaultConfig {
  mode: FaultMode;
  /** How many API calls the fault applies to; absent = until set back to `none`. Ignored by expire-ks. */
  count?: number;
}

export interface FaultState {
  mode: FaultMode;
  /** Calls left; null = unlimited. */
  remaining: number | null;
}

export { ENTRY_STATUS } from '../protocol/names';

export interface EntryInput {
  /** Default: a new `0_xxxxxxxx` id. */
  id?: string;
  name?: string;
  description?: string;
  /** KalturaEntryStatus number; default READY (2) for add. */
  status?: number;
  tags?: string;
  /** KalturaMediaType: VIDEO=1, IMAGE=2, AUDIO=5. Default 1. */
  mediaType?: number;
  /** Seconds. */
  duration?: number;
  userId?: string;
  referenceId?: string;
  categories?: string;
  partnerId?: number;
}

export interface SandboxEntry {
  id: string;
  partnerId: number;
  name: string;
  description?: string;
  userId?: string;
  creatorId?: string;
  tags?: string;
  categories?: string;
  status: number;
  type: number;
  mediaType: number;
  duration?: number;
  referenceId?: string;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface PartnerInput {
  partnerId?: number;
  adminSecret?: string;
  /** The user secret (USER sessions only). Default: random. */
  secret?: string;
  /** Plugins the partner may use. Default ['eventNotification']; without it the template service answers FEATURE_FORBIDDEN. */
  features?: string[];
}

export interface SandboxPartner {
  partnerId: number;
  adminSecret: string;
  secret: string;
  features: string[];
}

export interface Sandbox {
  /** http://HOST:PORT — use it as the Kaltura service URL. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly partnerId: number;
  readonly adminSecret: string;
  /**
   * The admin secret of partner -2, Kaltura's Admin Console: its admin KS may act for a partner (the request's
   * `partnerId`), add templates and set the members an ordinary partner cannot (manual dispatch, event type, …).
   * New on every start; tests use it to make templates the way Kaltura's deployment scripts do.
   */
  readonly adminConsoleSecret: string;
  close(): Promise<void>;
  /** Every notification attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[];
  /** Called for every attempt as it completes (CLI logging). Returns an unsubscribe function. */
  onDelivery(listener: (attempt: DeliveryAttempt) => void): () => void;
  /** Resolves once no notification job is pending (sent, failed for good, or still waiting for READY does not count). */
  idle(): Promise<void>;
  addEntry(input: EntryInput): SandboxEntry;
  updateEntry(id: string, changes: EntryInput): SandboxEntry;
  deleteEntry(id: string): SandboxEntry;
  getEntry(id: string): SandboxEntry | undefined;
  listEntries(): SandboxEntry[];
  setFaults(faults: FaultConfig): FaultState;
  faults(): FaultState;
  /** Adds (or replaces) a partner, e.g. one without the eventNotification feature. */
  addPartner(input: PartnerInput): SandboxPartner;
}
