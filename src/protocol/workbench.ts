// What the workbench's own parts say to each other over HTTP: the tunnel's self-probe path the receiver answers, and
// the headers a replayed copy or a sample carries so the receiver can tell it from a delivery.

/** Requests to this path prefix are the tunnel self-probe: answered with the nonce, never recorded as events. */
export const PROBE_PATH_PREFIX = '/__kwh/probe/';

/** Header on a replayed copy: the id of the event it re-sends. */
export const REPLAY_HEADER = 'x-kwh-replay-of';

/** Sent with X-Kwh-Replay-Of when the copy was edited (Edit and Replay): the receiver marks it an edited replay. */
export const EDITED_HEADER = 'x-kwh-edited';

/**
 * On the workbench's own sample events: the receiver's sample token, random for each receiver run and known only to
 * the process that started it, so a request from the network cannot pass itself off as a sample. Its name is
 * secret-like, so the event log and exports redact it.
 */
export const SAMPLE_TOKEN_HEADER = 'x-kwh-sample-token';
