// Body bytes → text, reporting (not hiding) invalid UTF-8.

const strict = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

export interface DecodedText {
  text: string;
  /** Byte offset of the first invalid sequence, when the bytes are not valid UTF-8. */
  invalidAt?: number;
}

export function decodeUtf8(bytes: Buffer): DecodedText {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    return { text: lossy.decode(bytes), invalidAt: firstInvalidUtf8Offset(bytes) };
  }
}

export function invalidUtf8Problem(offset: number): string {
  return `body is not valid UTF-8 (first bad byte at offset ${offset}); shown with replacement characters, signature checks still use the raw bytes`;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (-1 if all valid). */
export function firstInvalidUtf8Offset(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let min = 0;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}
