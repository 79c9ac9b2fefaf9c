import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTypeModel, inferShape, mergeShapes, type Shape } from '../../../src/core/codegen/inferTypes';
import { emitPhpTypes, emitPythonTypes, emitTypeScriptTypes } from '../../../src/core/codegen/emitTypes';
import { vectors } from '../../support/vectors';

const envelope = JSON.parse(vectors.httpNotification[0]!.body) as Record<string, unknown>;

test('objects are named after their Kaltura objectType, children declared before parents', () => {
  const model = buildTypeModel([envelope], 'Fallback');
  assert.equal(model.rootName, 'KalturaHttpNotification');
  assert.deepEqual(model.types.map((t) => t.name), ['KalturaMediaEntry', 'KalturaHttpNotification']);
  const root = model.types[1]!;
  assert.deepEqual(root.fields.find((f) => f.name === 'object')?.shape, { kind: 'ref', name: 'KalturaMediaEntry' });
  assert.equal(root.fields.find((f) => f.name === 'eventNotificationJobId')?.shape.kind, 'number');
});

test('objects without objectType are named after their path', () => {
  const model = buildTypeModel([{ destination: { name: 'awss3' }, files: [{ url: 'u' }] }], 'EnableXFileTransferEvent');
  assert.deepEqual(model.types.map((t) => t.name), ['EnableXFileTransferEventDestination', 'EnableXFileTransferEventFilesItem', 'EnableXFileTransferEvent']);
});

test('fields missing from some samples become optional, null makes a field nullable', () => {
  const shape = [{ a: 1, b: 'x' }, { a: 2.5, c: null }, { a: 3, c: true }].map(inferShape).reduce((x, y) => mergeShapes(x, y));
  assert.equal(shape.kind, 'object');
  const fields = (shape as Extract<Shape, { kind: 'object' }>).fields;
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  assert.equal(byName['a']!.optional, false);
  assert.deepEqual({ kind: byName['a']!.shape.kind, integer: (byName['a']!.shape as { integer: boolean }).integer }, { kind: 'number', integer: false });
  assert.equal(byName['b']!.optional, true);
  assert.equal(byName['c']!.optional, true);
  assert.equal(byName['c']!.shape.kind, 'boolean');
  assert.equal(byName['c']!.shape.nullable, true);
});

test('array elements are merged; mixed scalars become a union; empty arrays unknown', () => {
  const s = inferShape({ list: [1, 'two', 3], empty: [] });
  assert.equal(s.kind, 'object');
  const [list, empty] = (s as Extract<Shape, { kind: 'object' }>).fields;
  assert.equal(list!.shape.kind, 'array');
  const element = (list!.shape as Extract<Shape, { kind: 'array' }>).element;
  assert.equal(element.kind, 'union');
  assert.deepEqual((element as Extract<Shape, { kind: 'union' }>).options.map((o) => o.kind).sort(), ['number', 'string']);
  assert.equal((empty!.shape as Extract<Shape, { kind: 'array' }>).element.kind, 'unknown');
});

test('the same objectType met twice is one type with merged fields', () => {
  const model = buildTypeModel([{ a: { id: 1, objectType: 'KalturaX' }, b: { id: 2, name: 'n', objectType: 'KalturaX' } }], 'Root');
  assert.deepEqual(model.types.map((t) => t.name), ['KalturaX', 'Root']);
  const x = model.types[0]!;
  assert.deepEqual(x.fields.map((f) => [f.name, f.optional]), [['id', false], ['objectType', false], ['name', true]]);
});

test('an objectType that is not an identifier is not used as a type name', () => {
  const model = buildTypeModel([{ objectType: 'Bad Name; drop()' }], 'Safe');
  assert.equal(model.rootName, 'Safe');
});

test('TypeScript emitter: interfaces, zod schemas, quoted keys, examples only when kept', () => {
  const model = buildTypeModel([{ id: '0_abcd1234', 'file-size': '12', nested: { n: 1 } }], 'Payload');
  const plain = emitTypeScriptTypes(model, { keepExampleValues: false });
  assert.match(plain, /export interface Payload \{\n {2}id: string;\n {2}"file-size": string;\n {2}nested: PayloadNested;\n\}/);
  assert.match(plain, /export const PayloadSchema: z\.ZodType<Payload> = z\n {2}\.object\(\{\n {4}id: z\.string\(\),\n {4}"file-size": z\.string\(\),\n {4}nested: PayloadNestedSchema,/);
  assert.ok(plain.indexOf('PayloadNestedSchema: z.ZodType') < plain.indexOf('PayloadSchema: z.ZodType'), 'child schema first');
  assert.ok(!plain.includes('0_abcd1234'));
  const kept = emitTypeScriptTypes(model, { keepExampleValues: true });
  // Example values are comment text (literals.ts): ASCII, quotes escaped, so they cannot end the comment.
  assert.match(kept, /\/\*\* e\.g\. \\"0_abcd1234\\" \*\//);
});

test('Python emitter: TypedDict classes, NotRequired, functional form for non-identifier keys', () => {
  const model = buildTypeModel([{ a: 1, b: null, from: 'x' }, { a: 2 }], 'Root');
  const py = emitPythonTypes(model, { keepExampleValues: false });
  assert.match(py, /Root = TypedDict\("Root", \{\n {4}"a": int,\n {4}"b": NotRequired\[None\],\n {4}"from": NotRequired\[str\],\n\}\)/);
  const simple = emitPythonTypes(buildTypeModel([{ id: 'x', n: 1.5 }], 'Simple'), { keepExampleValues: false });
  assert.match(simple, /class Simple\(TypedDict\):\n {4}""".*"""\n {4}id: str\n {4}n: float/);
});

test('PHP emitter: array shapes with optional keys', () => {
  const model = buildTypeModel([{ id: 'x', list: [1] }, { id: 'y' }], 'Root');
  const php = emitPhpTypes(model, { keepExampleValues: false });
  assert.match(php, /@phpstan-type Root array\{id: string, list\?: list<int>\}/);
  assert.match(php, /final class WebhookPayloadTypes/);
});
