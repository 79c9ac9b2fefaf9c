// Renders a TypeModel per language: TypeScript interfaces + zod schemas, Python TypedDicts, PHP array shapes.
// Example values appear in comments only when the user chose to keep them.
import type { FieldShape, Shape, TypeModel } from './inferTypes';
import { commentText, isPlainPropertyName, phpLiteral, pyLiteral, safeIdentifier, tsLiteral } from './literals';

export interface EmitOptions {
  keepExampleValues: boolean;
}

function exampleOf(s: Shape): string | undefined {
  if ((s.kind === 'string' || s.kind === 'number' || s.kind === 'boolean') && s.example !== undefined) {
    const text = JSON.stringify(s.example);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
  return undefined;
}

/** Comment text safe inside a block or line comment of every target (literals.ts). */
function commentSafe(text: string): string {
  return commentText(text, 200);
}

// ---------------------------------------------------------------- TypeScript

/** An interface member name: plain, or a string literal. */
function tsKey(name: string): string {
  return isPlainPropertyName(name) ? name : tsLiteral(name);
}

/** A key in an object literal: `__proto__` (quoted or not) would set the prototype there, so it is a computed key. */
function tsObjectKey(name: string): string {
  return name === '__proto__' ? `[${tsLiteral(name)}]` : tsKey(name);
}

export function tsTypeOf(s: Shape): string {
  let base: string;
  switch (s.kind) {
    case 'string': base = 'string'; break;
    case 'number': base = 'number'; break;
    case 'boolean': base = 'boolean'; break;
    case 'null': return 'null';
    case 'unknown': return 'unknown';
    case 'ref': base = s.name; break;
    case 'array': base = `Array<${tsTypeOf(s.element)}>`; break;
    case 'union': base = s.options.map(tsTypeOf).join(' | '); break;
    case 'object': base = 'Record<string, unknown>'; break;
  }
  return s.nullable ? `${base} | null` : base;
}

export function zodOf(s: Shape): string {
  let base: string;
  switch (s.kind) {
    case 'string': base = 'z.string()'; break;
    case 'number': base = 'z.number()'; break;
    case 'boolean': base = 'z.boolean()'; break;
    case 'null': return 'z.null()';
    case 'unknown': return 'z.unknown()';
    case 'ref': base = `${s.name}Schema`; break;
    case 'array': base = `z.array(${zodOf(s.element)})`; break;
    case 'union': base = `z.union([${s.options.map(zodOf).join(', ')}])`; break;
    case 'object': base = 'z.record(z.string(), z.unknown())'; break;
  }
  return s.nullable ? `${base}.nullable()` : base;
}

export function emitTypeScriptTypes(model: TypeModel, options: EmitOptions): string {
  const out: string[] = [];
  for (const type of model.types) {
    const title = type.objectType ? `Kaltura object type \`${type.objectType}\`, inferred from the captured payload.` : 'Inferred from the captured payload.';
    out.push(`/** ${commentSafe(title)} */`);
    out.push(`export interface ${type.name} {`);
    for (const f of type.fields) {
      const example = options.keepExampleValues ? exampleOf(f.shape) : undefined;
      if (example) out.push(`  /** e.g. ${commentSafe(example)} */`);
      out.push(`  ${tsKey(f.name)}${f.optional ? '?' : ''}: ${tsTypeOf(f.shape)};`);
    }
    out.push('}', '');
    // Loose objects: Kaltura adds fields over time, and a stub must not start rejecting them.
    out.push(`export const ${type.name}Schema: z.ZodType<${type.name}> = z`);
    out.push('  .object({');
    for (const f of type.fields) out.push(`    ${tsObjectKey(f.name)}: ${zodOf(f.shape)}${f.optional ? '.optional()' : ''},`);
    out.push('  })');
    out.push('  .passthrough();', '');
  }
  if (model.root.kind !== 'ref') {
    out.push(`export type ${model.rootName} = ${tsTypeOf(model.root)};`, '');
    out.push(`export const ${model.rootName}Schema: z.ZodType<${model.rootName}> = ${zodOf(model.root)};`, '');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- Python

const pythonKeywords = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

function pyIdentifierOk(name: string): boolean {
  return isPlainPropertyName(name) && !pythonKeywords.has(name) && safeIdentifier(name, '') === name;
}

export function pyTypeOf(s: Shape): string {
  let base: string;
  switch (s.kind) {
    case 'string': base = 'str'; break;
    case 'number': base = s.integer ? 'int' : 'float'; break;
    case 'boolean': base = 'bool'; break;
    case 'null': return 'None';
    case 'unknown': return 'Any';
    case 'ref': base = `"${s.name}"`; break;
    case 'array': base = `List[${pyTypeOf(s.element)}]`; break;
    case 'union': base = `Union[${s.options.map(pyTypeOf).join(', ')}]`; break;
    case 'object': base = 'Dict[str, Any]'; break;
  }
  return s.nullable ? `Optional[${base}]` : base;
}

function pyFieldType(f: FieldShape): string {
  return f.optional ? `NotRequired[${pyTypeOf(f.shape)}]` : pyTypeOf(f.shape);
}

export function emitPythonTypes(model: TypeModel, options: EmitOptions): string {
  const out: string[] = [];
  for (const type of model.types) {
    const title = type.objectType ? `Kaltura object type ${type.objectType}, inferred from the captured payload.` : 'Inferred from the captured payload.';
    if (type.fields.every((f) => pyIdentifierOk(f.name))) {
      out.push(`class ${type.name}(TypedDict):`);
      out.push(`    """${title}"""`);
      for (const f of type.fields) {
        const example = options.keepExampleValues ? exampleOf(f.shape) : undefined;
        out.push(`    ${f.name}: ${pyFieldType(f)}${example ? `  # e.g. ${commentSafe(example)}` : ''}`);
      }
    } else {
      // Some keys are not Python identifiers (or are keywords): the functional TypedDict form keeps them exact.
      out.push(`# ${title}`);
      out.push(`${type.name} = TypedDict(${pyLiteral(type.name)}, {`);
      for (const f of type.fields) {
        const example = options.keepExampleValues ? exampleOf(f.shape) : undefined;
        out.push(`    ${pyLiteral(f.name)}: ${pyFieldType(f)},${example ? `  # e.g. ${commentSafe(example)}` : ''}`);
      }
      out.push('})');
    }
    out.push('', '');
  }
  if (model.root.kind !== 'ref') out.push(`${model.rootName} = ${pyTypeOf(model.root)}`, '');
  return out.join('\n');
}

// ---------------------------------------------------------------- PHP

function phpKey(name: string): string {
  return isPlainPropertyName(name) ? name : phpLiteral(name);
}

export function phpTypeOf(s: Shape): string {
  let base: string;
  switch (s.kind) {
    case 'string': base = 'string'; break;
    case 'number': base = s.integer ? 'int' : 'float'; break;
    case 'boolean': base = 'bool'; break;
    case 'null': return 'null';
    case 'unknown': return 'mixed';
    case 'ref': base = s.name; break;
    case 'array': base = `list<${phpTypeOf(s.element)}>`; break;
    case 'union': base = s.options.map(phpTypeOf).join('|'); break;
    case 'object': base = 'array<string, mixed>'; break;
  }
  return s.nullable ? `${base}|null` : base;
}

/** PHPStan/Psalm array shapes in a docblock: PHP decodes payloads into arrays, so that is what they describe. */
export function emitPhpTypes(model: TypeModel, options: EmitOptions): string {
  const out: string[] = ['/**', ' * Payload shapes inferred from the captured request (PHPStan / Psalm local type aliases).', ' *'];
  for (const type of model.types) {
    if (type.objectType) out.push(` * ${type.name}: Kaltura object type ${type.objectType}.`);
    const fields = type.fields.map((f) => `${phpKey(f.name)}${f.optional ? '?' : ''}: ${phpTypeOf(f.shape)}`).join(', ');
    out.push(` * @phpstan-type ${type.name} array{${commentSafe(fields)}}`);
  }
  if (model.root.kind !== 'ref') out.push(` * @phpstan-type ${model.rootName} ${phpTypeOf(model.root)}`);
  if (options.keepExampleValues) {
    out.push(' *', ' * Example values from the captured request:');
    for (const type of model.types) {
      for (const f of type.fields) {
        const example = exampleOf(f.shape);
        if (example) out.push(` *   ${type.name}.${commentSafe(f.name)} = ${commentSafe(example)}`);
      }
    }
  }
  out.push(' */', 'final class WebhookPayloadTypes', '{', '}', '');
  return out.join('\n');
}
