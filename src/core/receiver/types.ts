import type { CapturedRequest, ResponseMode, WebhookEvent } from '../events/model';
import type { EventStoreApi } from '../events/storeTypes';
import type { VerificationCredentials } from '../providers/types';

export { PROBE_PATH_PREFIX } from '../../protocol/workbench';

export interface ReceiverOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = any free port. Default 0. */
  port?: number;
  responseMode?: ResponseMode;
  /** Default 5 MiB. Larger bodies get 413 and are still recorded (headers + the fact). */
  maxBodyBytes?: number;
  /** Body bytes of all requests being read at once; past it new requests get 503 + Retry-After. Default 64 MiB. */
  maxInFlightBytes?: number;
  /** Time allowed for the request headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time allowed for the whole body. Default 30 s. */
  bodyTimeoutMs?: number;
  /** In `timeout` mode, how long to hold a request before destroying the socket. Default 10 min. */
  holdTimeoutMs?: number;
  /** Read on every request, so credential changes apply at once. */
  credentials: () => VerificationCredentials;
  store: EventStoreApi;
}

export interface ReceiverApi {
  readonly host: string;
  readonly port: number;
  /** http://HOST:PORT */
  readonly url: string;
  responseMode: ResponseMode;
  /** Sent in X-Kwh-Sample-Token by the process's own samples, which are then recorded with origin "sample". */
  readonly sampleToken: string;
  /** Parses, verifies and stores a request that did not come over the network (replay, sample events). */
  ingest(request: CapturedRequest, origin: NonNullable<WebhookEvent['origin']>): WebhookEvent[];
  close(): Promise<void>;
}
