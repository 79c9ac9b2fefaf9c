// Exact-size homes for the request bodies events keep: those the receiver copies out of the socket's read buffers,
// and those rebuilt from text when the event log is reloaded. Buffer.from(string) puts anything under 4 KiB on Node's
// shared 8 KiB pool, and one kept body then pins the whole pool slab: with thousands of reloaded events that doubled
// their memory; a buffer of its own per body costs a native allocation per request. Bodies are packed into large
// slabs instead; events are evicted oldest first, so a slab's bodies go away together and the slab with them.

/** Bytes of one slab: a small body's backing store is one of these, never a socket's read buffer. */
export const BODY_SLAB_BYTES = 1024 * 1024;
/** Larger bodies get a buffer of their own (a slab would waste its tail on them). */
const OWN_BUFFER_FROM = 64 * 1024;

let slab: Buffer | undefined;
let used = 0;

/** `length` uninitialised bytes: on a shared slab when small, a buffer of their own when large. */
export function bodyBytes(length: number): Buffer {
  if (length === 0) return Buffer.alloc(0);
  if (length >= OWN_BUFFER_FROM) return Buffer.allocUnsafeSlow(length);
  if (!slab || used + length > slab.length) {
    slab = Buffer.allocUnsafeSlow(BODY_SLAB_BYTES);
    used = 0;
  }
  const out = slab.subarray(used, used + length);
  used += (length + 7) & ~7; // 8-byte aligned, like Node's own pool
  return out;
}

/** The bytes of `text` in the given encoding, in a buffer that pins no more memory than its neighbours' bodies. */
export function bodyFromText(text: string, encoding: 'utf8' | 'base64'): Buffer {
  if (text.length === 0) return Buffer.alloc(0);
  const out = bodyBytes(Buffer.byteLength(text, encoding));
  const written = out.write(text, 0, encoding);
  return written === out.length ? out : out.subarray(0, written);
}

