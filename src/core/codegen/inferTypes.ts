// Type inference from a captured payload: JSON-like values become a small type model (named object types in
// dependency order) that each language's emitter renders as interfaces + zod, TypedDicts, or PHP array shapes.
// Objects carrying an `objectType` string are named after it (KalturaMediaEntry); others after their path.
import { safeIdentifier } from './literals';

export type Shape =
  | { kind: 'string'; nullable?: boolean; example?: string }
  | { kind: 'number'; integer: boolean; nullable?: boolean; example?: number }
  | { kind: 'boolean'; nullable?: boolean; example?: boolean }
  | { kind: 'null'; nullable?: boolean }
  | { kind: 'unknown'; nullable?: boolean }
  | { kind: 'array'; element: Shape; nullable?: boolean }
  | { kind: 'object'; fields: FieldShape[]; objectType?: string; nullable?: boolean }
  | { kind: 'union'; options: Shape[]; nullable?: boolean }
  | { kind: 'ref'; name: string; nullable?: boolean };

export interface FieldShape {
  name: string;
  shape: Shape;
  /** Missing from at least one sample object. */
  optional: boolean;
}

export interface NamedType {
  name: string;
  fields: FieldShape[];
  /** The Kaltura objectType this type was named after, when it had one. */
  objectType?: string;
}

export interface TypeModel {
  /** The root: a ref to a named type, or a scalar shape (text bodies). */
  root: Shape;
  rootName: string;
  /** Named object types, children before parents (so languages that need declaration order are served). */
  types: NamedType[];
}

export function inferShape(value: unknown): Shape {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'string') return { kind: 'string', example: value };
  if (typeof value === 'number') return { kind: 'number', integer: Number.isInteger(value), example: value };
  if (typeof value === 'boolean') return { kind: 'boolean', example: value };
  if (Array.isArray(value)) {
    const element = value.map(inferShape).reduce<Shape | undefined>((acc, s) => (acc ? mergeShapes(acc, s) : s), undefined);
    return { kind: 'array', element: element ?? { kind: 'unknown' } };
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record).map((name) => ({ name, shape: inferShape(record[name]), optional: false }));
    const objectType = typeof record['objectType'] === 'string' ? (record['objectType'] as string) : undefined;
    return objectType ? { kind: 'object', fields, objectType } : { kind: 'object', fields };
  }
  return { kind: 'unknown' };
}

/** Combines two samples of the same position: missing fields become optional, null makes a shape nullable. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === 'null') return b.kind === 'null' ? a : { ...b, nullable: true };
  if (b.kind === 'null') return { ...a, nullable: true };
  if (a.kind === 'unknown') return b.nullable || a.nullable ? { ...b, nullable: true } : b;
  if (b.kind === 'unknown') return a;
  const nullable = a.nullable || b.nullable ? { nullable: true } : {};
  if (a.kind === 'number' && b.kind === 'number') return { ...a, integer: a.integer && b.integer, ...nullable };
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', element: mergeShapes(a.element, b.element), ...nullable };
  if (a.kind === 'object' && b.kind === 'object' && a.objectType === b.objectType) {
    const names = [...new Set([...a.fields.map((f) => f.name), ...b.fields.map((f) => f.name)])];
    const fields = names.map((name) => {
      const fa = a.fields.find((f) => f.name === name);
      const fb = b.fields.find((f) => f.name === name);
      if (fa && fb) return { name, shape: mergeShapes(fa.shape, fb.shape), optional: fa.optional || fb.optional };
      return { ...(fa ?? fb)!, optional: true };
    });
    return a.objectType ? { kind: 'object', fields, objectType: a.objectType, ...nullable } : { kind: 'object', fields, ...nullable };
  }
  if (a.kind === b.kind && a.kind !== 'object' && a.kind !== 'union') return { ...a, ...nullable };
  const options = [...(a.kind === 'union' ? a.options : [a]), ...(b.kind === 'union' ? b.options : [b])];
  const unique: Shape[] = [];
  for (const option of options) {
    const same = unique.findIndex((u) => u.kind === option.kind && (u.kind !== 'object' || (option.kind === 'object' && u.objectType === option.objectType)));
    if (same === -1) unique.push({ ...option, nullable: false });
    else unique[same] = mergeShapes(unique[same]!, { ...option, nullable: false });
  }
  return unique.length === 1 ? { ...unique[0]!, ...nullable } : { kind: 'union', options: unique, ...nullable };
}

export function pascalCase(text: string): string {
  const words = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return safeIdentifier((/^[0-9]/.test(joined) ? `T${joined}` : joined).slice(0, 100), 'Payload');
}

/** A type name from an objectType value, kept only if it is a plain identifier (it ends up in code). */
function typeNameFor(objectType: string | undefined): string | undefined {
  const name = safeIdentifier(objectType, '');
  return name === '' ? undefined : name;
}

/** Builds the named-type model for one or more sample values of the root type. */
export function buildTypeModel(samples: unknown[], rootName: string): TypeModel {
  const shape = samples.map(inferShape).reduce<Shape | undefined>((acc, s) => (acc ? mergeShapes(acc, s) : s), undefined) ?? {
    kind: 'unknown',
  };
  const types: NamedType[] = [];
  const byName = new Map<string, NamedType>();

  function register(preferred: string, fields: FieldShape[], objectType: string | undefined): string {
    let name = preferred;
    for (let n = 2; byName.has(name); n++) {
      const existing = byName.get(name)!;
      if (objectType && existing.objectType === objectType) {
        // Same Kaltura class met twice (e.g. in two fields): one type, fields merged.
        const merged = mergeShapes(
          { kind: 'object', fields: existing.fields, objectType },
          { kind: 'object', fields, objectType },
        );
        if (merged.kind === 'object') existing.fields = merged.fields;
        return name;
      }
      name = `${preferred}${n}`;
    }
    const type: NamedType = objectType ? { name, fields, objectType } : { name, fields };
    byName.set(name, type);
    types.push(type);
    return name;
  }

  function resolve(s: Shape, suggested: string): Shape {
    switch (s.kind) {
      case 'object': {
        const name = typeNameFor(s.objectType) ?? suggested;
        const fields = s.fields.map((f) => ({ ...f, shape: resolve(f.shape, `${name}${pascalCase(f.name)}`) }));
        const ref: Shape = { kind: 'ref', name: register(name, fields, typeNameFor(s.objectType)) };
        return s.nullable ? { ...ref, nullable: true } : ref;
      }
      case 'array':
        return { ...s, element: resolve(s.element, `${suggested}Item`) };
      case 'union':
        return { ...s, options: s.options.map((o, i) => resolve(o, `${suggested}${i + 1}`)) };
      default:
        return s;
    }
  }

  const root = resolve(shape, rootName);
  return { root, rootName: root.kind === 'ref' ? root.name : rootName, types };
}

