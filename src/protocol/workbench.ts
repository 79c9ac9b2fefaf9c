// What the workbench's own parts say to each other over HTTP: the tunnel's self-probe path the receiver answers, and
// the header a replayed copy carries so the receiver can tell it from a delivery.

/** Requests to this path prefix are the tunnel self-probe: answered with the nonce, never recorded as events. */
export const PROBE_PATH_PREFIX = '/__kwh/probe/';

/** Header on a replayed copy: the id of the event it re-sends. */
export const REPLAY_HEADER = 'x-kwh-replay-of';

/** Sent with X-Kwh-Replay-Of when the copy was edited (Edit and Replay): the receiver marks it an edited replay. */
export const EDITED_HEADER = 'x-kwh-edited';
