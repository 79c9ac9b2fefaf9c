// A reader for PHP serialize() output, used for Kaltura ObjectData bodies with format=3 (PHP).
// It only builds plain data (no classes are instantiated, nothing is evaluated). String lengths in the
// format are BYTE counts of the UTF-8 text, so it works on a Buffer, never on a JS string.

import { setOwn } from './ownProps';

export class PhpUnserializeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

export interface PhpUnserializeOptions {
  maxDepth?: number;
  /** Largest element count accepted for a single array/object (guards against "a:999999999:{"). */
  maxElements?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one serialized value. PHP arrays with keys 0..n-1 in order become JS arrays, other arrays become
 * objects; `O:` objects become objects with `objectType` set to the class name when they lack one (that is
 * how Kaltura names its API classes in JSON and XML too). Private/protected property name prefixes
 * ("\0Class\0", "\0*\0") are removed.
 */
export function phpUnserialize(input: Buffer | string, options: PhpUnserializeOptions = {}): unknown {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const maxDepth = options.maxDepth ?? 64;
  const maxElements = options.maxElements ?? 1_000_000;
  let pos = 0;

  const fail = (message: string, at = pos): never => {
    throw new PhpUnserializeError(message, at);
  };
  const expect = (char: string) => {
    if (buf[pos] !== char.charCodeAt(0)) {
      fail(pos >= buf.length ? `unexpected end of data, expected "${char}"` : `expected "${char}", found "${String.fromCharCode(buf[pos]!)}"`);
    }
    pos++;
  };
  const readUntil = (char: string): string => {
    const end = buf.indexOf(char.charCodeAt(0), pos);
    if (end === -1) fail(`unexpected end of data, expected "${char}"`);
    const s = buf.subarray(pos, end).toString('latin1');
    pos = end + 1;
    return s;
  };
  const readInt = (terminator: string): number => {
    const start = pos;
    const s = readUntil(terminator);
    if (!/^[+-]?\d+$/.test(s)) fail(`expected an integer, found "${s.slice(0, 20)}"`, start);
    return Number(s);
  };
  const readString = (): string => {
    const start = pos;
    const length = readInt(':');
    if (length < 0) fail('negative string length', start);
    expect('"');
    if (pos + length > buf.length) fail(`string of ${length} bytes runs past the end of the data`, start);
    const bytes = buf.subarray(pos, pos + length);
    pos += length;
    expect('"');
    try {
      return utf8.decode(bytes);
    } catch {
      // PHP strings are byte strings; keep non-UTF-8 ones readable rather than failing the whole body.
      return bytes.toString('latin1');
    }
  };

  const readValue = (depth: number): unknown => {
    if (depth > maxDepth) fail(`nested deeper than ${maxDepth} levels`);
    if (pos >= buf.length) fail('unexpected end of data');
    const type = String.fromCharCode(buf[pos]!);
    const typeAt = pos;
    pos++;
    switch (type) {
      case 'N':
        expect(';');
        return null;
      case 'b': {
        expect(':');
        const v = readUntil(';');
        if (v !== '0' && v !== '1') fail(`boolean must be 0 or 1, found "${v}"`, typeAt);
        return v === '1';
      }
      case 'i': {
        expect(':');
        return readInt(';');
      }
      case 'd': {
        expect(':');
        const v = readUntil(';');
        if (v === 'INF') return Infinity;
        if (v === '-INF') return -Infinity;
        if (v === 'NAN') return NaN;
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) fail(`invalid float "${v.slice(0, 20)}"`, typeAt);
        return Number(v);
      }
      case 's': {
        expect(':');
        const s = readString();
        expect(';');
        return s;
      }
      case 'a': {
        expect(':');
        const count = readInt(':');
        return readEntries(count, depth, typeAt, undefined);
      }
      case 'O': {
        expect(':');
        const className = readString();
        expect(':');
        const count = readInt(':');
        return readEntries(count, depth, typeAt, className);
      }
      case 'C':
        return fail('custom-serialized objects (C:) are not supported', typeAt);
      case 'r':
      case 'R':
        return fail('references (r:/R:) are not supported', typeAt);
      default:
        return fail(`unknown type "${type}"`, typeAt);
    }
  };

  const readEntries = (count: number, depth: number, at: number, className: string | undefined): unknown => {
    if (count < 0 || count > maxElements) fail(`element count ${count} out of range`, at);
    // Each entry needs at least 4 bytes ("i:0;N;" is 6), so a count the data cannot hold is rejected early.
    if (count * 4 > buf.length - pos) fail(`declares ${count} elements but the data is too short`, at);
    expect('{');
    const keys: Array<string | number> = [];
    const values: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const keyAt = pos;
      const key = readValue(depth + 1);
      if (typeof key !== 'string' && typeof key !== 'number') fail('array key must be an integer or a string', keyAt);
      keys.push(typeof key === 'string' && className !== undefined ? stripVisibility(key) : (key as string | number));
      values.push(readValue(depth + 1));
    }
    expect('}');
    const sequential = className === undefined && keys.every((k, i) => k === i);
    if (sequential) return values;
    const out: Record<string, unknown> = {};
    keys.forEach((k, i) => setOwn(out, String(k), values[i]));
    if (className !== undefined && out['objectType'] === undefined) out['objectType'] = className;
    return out;
  };

  const value = readValue(0);
  if (pos !== buf.length) fail(`unexpected data after the serialized value (${buf.length - pos} bytes)`);
  return value;
}

function stripVisibility(name: string): string {
  if (name.charCodeAt(0) !== 0) return name;
  const second = name.indexOf('\0', 1);
  return second === -1 ? name : name.slice(second + 1);
}

/** Quick check used by detection: does this text start like serialize() output? */
export function looksLikePhpSerialized(text: string): boolean {
  return /^(?:[aO]:\d+:|s:\d+:"|[ib]:-?\d+;|d:|N;)/.test(text);
}

export { phpSerialize } from './phpEncoding';
