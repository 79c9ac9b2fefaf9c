// stub:drop The XML reader of Kaltura's webhookVerify.ts (only HTTP notifications can come as XML), and the one
// stub:drop codegen/bodyFormats.ts reads captured XML with, so the types are inferred from what the stub will see.

const xmlEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return xmlEntities[name] ?? whole;
  });
}

/**
 * Reads notification XML into plain objects: text-only elements become strings, repeated names arrays;
 * attributes, comments and DOCTYPEs are ignored (so no entity expansion can be abused).
 */
export function parseXml(xml: string): Record<string, unknown> {
  const tokens = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  interface Frame { name: string; children: Array<[string, unknown]>; text: string }
  const root: Frame = { name: '#root', children: [], text: '' };
  const stack: Frame[] = [root];
  const valueOf = (frame: Frame): unknown => {
    if (frame.children.length === 0) return frame.text.trim() === '' ? '' : frame.text;
    const obj: Record<string, unknown> = {};
    // Own properties only, defined rather than assigned: an element named "constructor" or "__proto__" is data.
    const define = (name: string, value: unknown): void => {
      Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
    };
    for (const [name, value] of frame.children) {
      const existing: unknown = Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined;
      if (existing === undefined) define(name, value);
      else if (Array.isArray(existing)) existing.push(value);
      else define(name, [existing, value]);
    }
    return obj;
  };
  let consumed = 0;
  for (let match = tokens.exec(xml); match !== null; match = tokens.exec(xml)) {
    if (match.index !== consumed) throw new Error('unexpected "<" at offset ' + consumed);
    consumed = tokens.lastIndex;
    const top = stack[stack.length - 1]!;
    const [, cdata, closeName, openName, , selfClose, text] = match;
    if (cdata !== undefined) top.text += cdata;
    else if (text !== undefined) top.text += decodeXmlEntities(text);
    else if (openName !== undefined) {
      if (selfClose) top.children.push([openName, '']);
      else stack.push({ name: openName, children: [], text: '' });
    } else if (closeName !== undefined) {
      if (top.name !== closeName) throw new Error('closing </' + closeName + '> does not match <' + top.name + '>');
      stack.pop();
      stack[stack.length - 1]!.children.push([closeName, valueOf(top)]);
    }
  }
  if (consumed !== xml.length) throw new Error('unexpected "<" at offset ' + consumed);
  if (stack.length !== 1) throw new Error('<' + stack[stack.length - 1]!.name + '> is never closed');
  if (root.children.length !== 1) throw new Error('expected exactly one root element');
  const value = root.children[0]![1];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
