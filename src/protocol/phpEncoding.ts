// Byte-exact re-implementations of the PHP encoders Kaltura's server uses on the wire: json_encode (default
// flags), serialize() and the XML serializer's escaping. Receivers verify signatures over these exact bytes, so the
// sandbox's sender and the sample builders share this one implementation (checked against php-cli in the tests).

/**
 * PHP json_encode with default flags: `/` becomes `\/`, every UTF-16 unit from U+0080 up becomes `\uxxxx`
 * (lower-case hex, surrogate pairs as two escapes; DEL stays raw, as in PHP). Key order is insertion order.
 */
export function phpJsonEncode(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'null';
  return json.replace(/[\u0080-\uffff/]/g, (c) => (c === '/' ? '\\/' : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
}

/**
 * PHP serialize(). Objects carrying `objectType` serialize as `O:<len>:"<class>":<n>:{…}` with public properties
 * (objectType itself is the class name, not a property); other plain objects as arrays. String lengths are UTF-8
 * byte counts.
 */
export function phpSerialize(value: unknown): string {
  if (value === null || value === undefined) return 'N;';
  if (typeof value === 'boolean') return `b:${value ? 1 : 0};`;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return `i:${value};`;
    if (Number.isNaN(value)) return 'd:NAN;';
    if (!Number.isFinite(value)) return value > 0 ? 'd:INF;' : 'd:-INF;';
    return `d:${value};`;
  }
  if (typeof value === 'string') return `s:${Buffer.byteLength(value, 'utf8')}:"${value}";`;
  if (Array.isArray(value)) return `a:${value.length}:{${value.map((v, i) => `i:${i};${phpSerialize(v)}`).join('')}}`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const className = typeof record['objectType'] === 'string' ? (record['objectType'] as string) : undefined;
    const entries = Object.entries(record).filter(([k, v]) => v !== undefined && (className === undefined || k !== 'objectType'));
    // PHP stores decimal-integer string keys of arrays as integers (i:); object properties stay strings.
    const key = (k: string) => (className === undefined && /^(?:0|-?[1-9]\d{0,17})$/.test(k) ? `i:${k};` : phpSerialize(k));
    const body = entries.map(([k, v]) => `${key(k)}${phpSerialize(v)}`).join('');
    return className !== undefined
      ? `O:${Buffer.byteLength(className, 'utf8')}:"${className}":${entries.length}:{${body}}`
      : `a:${entries.length}:{${body}}`;
  }
  return phpSerialize(String(value));
}

/** The XML serializer's escaping: the five XML entities, `'` as `&apos;` (kaltura-captures.json, xml-*). */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * Kaltura's XML serializer: `objectType` first, then the members in order; arrays as `<item>` children;
 * booleans as 1/0. With `ignoreNull` (the default) null members are left out; without it each is an empty tag,
 * and every object carries its null `relatedObjects` right after `objectType`, as the sender writes them.
 */
export function kalturaXml(value: unknown, options: { ignoreNull?: boolean } = {}): string {
  const ignoreNull = options.ignoreNull ?? true;
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return xmlEscape(value);
  if (Array.isArray(value)) return value.map((item) => `<item>${kalturaXml(item, options)}</item>`).join('');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof record.objectType === 'string') {
      parts.push(`<objectType>${xmlEscape(record.objectType)}</objectType>`);
      if (!ignoreNull && !('relatedObjects' in record)) parts.push('<relatedObjects></relatedObjects>');
    }
    for (const [key, member] of Object.entries(record)) {
      if (key === 'objectType') continue;
      if ((member === null || member === undefined) && (ignoreNull || member === undefined)) continue;
      parts.push(`<${key}>${kalturaXml(member, options)}</${key}>`);
    }
    return parts.join('');
  }
  return xmlEscape(String(value));
}
