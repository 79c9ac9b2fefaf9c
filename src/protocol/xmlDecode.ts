// A small, safe XML reader for Kaltura's XML notification bodies. Safe means: no DOCTYPE (hence no entity
// expansion attacks), only the five predefined entities plus numeric references, bounded depth, node count
// and input size. It is not a general XML parser; namespaces are kept as part of the name.

import { MAX_XML_NODES } from './budgets';
import { setOwn } from './ownProps';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export interface XmlLimits {
  maxDepth: number;
  maxNodes: number;
  maxBytes: number;
}

// Attributes count as nodes: a body of one element with 420,000 attributes is as much work as 420,000 elements.
export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 64, maxNodes: MAX_XML_NODES, maxBytes: 5 * 1024 * 1024 };

export class XmlParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.\u00B7-\uFFFF]*/y;

export function decodeXmlEntities(text: string, offset = 0): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]{0,32});?/g, (match, ref: string, at: number) => {
    if (!match.endsWith(';')) throw new XmlParseError(`unterminated entity reference "${match}"`, offset + at);
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = /^#(?:[0-9]+|[xX][0-9a-fA-F]+)$/.test(ref) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      if (!valid) throw new XmlParseError(`invalid character reference "&${ref};"`, offset + at);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[ref];
    if (value === undefined) {
      throw new XmlParseError(`unknown entity "&${ref};" (only &lt; &gt; &amp; &quot; &apos; and numeric references are expanded)`, offset + at);
    }
    return value;
  });
}

/** Parses one XML document with a single root element. Throws XmlParseError naming the offset. */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    throw new XmlParseError(`XML larger than ${limits.maxBytes} bytes`, 0);
  }
  let pos = 0;
  let nodes = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const fail = (message: string, at = pos): never => {
    throw new XmlParseError(message, at);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) fail('expected a name');
    pos += m![0].length;
    return m![0];
  };
  const addNode = (node: XmlNode) => {
    nodes++;
    if (nodes > limits.maxNodes) fail(`more than ${limits.maxNodes} XML nodes and attributes`);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else if (typeof node === 'string') {
      if (node.trim() !== '') fail('text outside the root element');
    } else if (root) fail('more than one root element');
    else root = node;
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt === -1) {
      addNode(decodeXmlEntities(text.slice(pos), pos));
      pos = text.length;
      break;
    }
    if (lt > pos) addNode(decodeXmlEntities(text.slice(pos, lt), pos));
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end === -1) fail('unterminated comment');
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      if (end === -1) fail('unterminated CDATA section');
      if (stack.length === 0) fail('CDATA outside the root element');
      addNode(text.slice(pos + 9, end));
      pos = end + 3;
    } else if (text.startsWith('<!DOCTYPE', pos) || text.startsWith('<!doctype', pos)) {
      fail('DOCTYPE declarations are refused (no DTDs or custom entities, to rule out entity-expansion attacks)');
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end === -1) fail('unterminated processing instruction');
      pos = end + 2;
    } else if (text.startsWith('</', pos)) {
      pos += 2;
      const name = readName();
      skipSpace();
      if (text[pos] !== '>') fail(`expected ">" to close </${name}`);
      pos++;
      const open = stack.pop();
      if (!open) fail(`closing tag </${name}> without an opening tag`, lt);
      if (open!.name !== name) fail(`closing tag </${name}> does not match <${open!.name}>`, lt);
    } else {
      pos++;
      const name = readName();
      const element: XmlElement = { name, attributes: {}, children: [] };
      for (;;) {
        skipSpace();
        if (text.startsWith('/>', pos)) {
          pos += 2;
          addNode(element);
          break;
        }
        if (text[pos] === '>') {
          pos++;
          addNode(element);
          if (stack.length >= limits.maxDepth) fail(`XML nested deeper than ${limits.maxDepth} levels`);
          stack.push(element);
          break;
        }
        if (pos >= text.length) fail(`unterminated start tag <${name}`);
        const attr = readName();
        nodes++;
        if (nodes > limits.maxNodes) fail(`more than ${limits.maxNodes} XML nodes and attributes`);
        skipSpace();
        if (text[pos] !== '=') fail(`attribute "${attr}" has no value`);
        pos++;
        skipSpace();
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") fail(`attribute "${attr}" value must be quoted`);
        const end = text.indexOf(quote!, pos + 1);
        if (end === -1) fail(`unterminated value of attribute "${attr}"`);
        const raw = text.slice(pos + 1, end);
        if (raw.includes('<')) fail(`"<" inside the value of attribute "${attr}"`);
        element.attributes[attr] = decodeXmlEntities(raw, pos + 1);
        pos = end + 1;
      }
    }
  }
  if (stack.length > 0) fail(`unclosed element <${stack[stack.length - 1]!.name}> (body truncated?)`);
  if (!root) fail('no root element', 0);
  return root!;
}

/**
 * Converts an element to the plain value Kaltura's XML serializer encodes: text-only elements become
 * strings, `<item>` lists become arrays, other elements become objects (repeated names become arrays,
 * attributes go under "@name", mixed text under "#text").
 */
export function xmlToValue(element: XmlElement): unknown {
  const elements = element.children.filter((c): c is XmlElement => typeof c !== 'string');
  const text = element.children.filter((c): c is string => typeof c === 'string').join('');
  const attrs = Object.entries(element.attributes);
  if (elements.length === 0 && attrs.length === 0) return text;
  if (elements.length > 0 && attrs.length === 0 && elements.every((e) => e.name === 'item')) {
    return elements.map(xmlToValue);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of attrs) setOwn(out, `@${k}`, v);
  for (const child of elements) {
    const value = xmlToValue(child);
    if (Object.prototype.hasOwnProperty.call(out, child.name)) {
      const existing = out[child.name];
      if (Array.isArray(existing) && (existing as unknown[] & { __repeated?: true }).__repeated) existing.push(value);
      else {
        const list = [existing, value] as unknown[] & { __repeated?: true };
        Object.defineProperty(list, '__repeated', { value: true, enumerable: false });
        setOwn(out, child.name, list);
      }
    } else setOwn(out, child.name, value);
  }
  if (text.trim() !== '') setOwn(out, '#text', text);
  return out;
}

