// Template conditions and content parameters, evaluated against an event scope. Kaltura evaluates PHP
// expressions (`$scope->getObject()->getStatus()`); the sandbox understands the expression shapes that the
// shipped templates and the guides use, listed below, and treats anything else as "does not match" with a
// warning naming the expression, never as a silent match.
//
// Supported field code: `$scope->getObject()->getX()`, `$scope->getEvent()->getObject()->getX()`,
// `$scope->getPartnerId()`, `$scope->getEvent()->getObject()->getPartnerId()`.
// Supported boolean code, joined with `&&`: `$scope->getObject() instanceof entry`,
// `in_array(entryPeer::STATUS, $scope->getEvent()->getModifiedColumns())`, `<field code> == <literal>` (also `!=`,
// `===`, `!==`; literals are numbers, quoted strings, `entryStatus::READY`), `true`, `false`, and `!` before a clause.
// Condition classes: KalturaEventFieldCondition, KalturaFieldMatchCondition, KalturaFieldCompareCondition,
// KalturaEventObjectChangedCondition; every one honours `not`.
import { ENTRY_STATUS, type ApiObject } from './types';

export interface EventScope {
  /** The API object the event is about (e.g. KalturaMediaEntry). */
  object: ApiObject;
  partnerId: number;
  /** entryPeer-style column names (entry.STATUS) changed by the event. */
  modifiedColumns: string[];
}

export interface Evaluation<T> {
  value: T;
  /** Expressions the sandbox could not evaluate. */
  unsupported: string[];
}

const OBJECT_CLASSES: Record<string, string[]> = {
  entry: ['KalturaMediaEntry', 'KalturaBaseEntry', 'KalturaPlayableEntry', 'KalturaLiveStreamEntry', 'KalturaDataEntry'],
  categoryentry: ['KalturaCategoryEntry'],
  flavorasset: ['KalturaFlavorAsset'],
  asset: ['KalturaFlavorAsset', 'KalturaThumbAsset', 'KalturaCaptionAsset'],
  metadata: ['KalturaMetadata'],
  entryvendortask: ['KalturaEntryVendorTask'],
};

/** Evaluates a field expression; undefined when the sandbox does not understand it. */
export function evalField(code: string, scope: EventScope): string | undefined {
  const trimmed = code.trim().replace(/;$/, '');
  if (/^\$scope->getPartnerId\(\)$/.test(trimmed)) return String(scope.partnerId);
  const getter = /^\$scope->(?:getEvent\(\)->)?getObject\(\)->get([A-Za-z0-9_]+)\(\)$/.exec(trimmed);
  if (!getter) return undefined;
  const wanted = getter[1]!.toLowerCase();
  const key = Object.keys(scope.object).find((k) => k.toLowerCase() === wanted);
  if (key === undefined) return wanted === 'partnerid' ? String(scope.partnerId) : '';
  const value = scope.object[key];
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function literal(text: string): string | undefined {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return String(Number(t));
  const quoted = /^(['"])(.*)\1$/.exec(t);
  if (quoted) return quoted[2]!;
  const constant = /^entryStatus::([A-Z_]+)$/.exec(t);
  if (constant) {
    const value = (ENTRY_STATUS as Record<string, number>)[constant[1]!];
    return value === undefined ? undefined : String(value);
  }
  if (t === 'true') return '1';
  if (t === 'false') return '';
  return undefined;
}

function evalClause(clause: string, scope: EventScope): boolean | undefined {
  let c = clause.trim();
  while (c.startsWith('(') && c.endsWith(')')) c = c.slice(1, -1).trim();
  if (c.startsWith('!') && !c.startsWith('!=')) {
    const inner = evalClause(c.slice(1), scope);
    return inner === undefined ? undefined : !inner;
  }
  if (c === 'true') return true;
  if (c === 'false') return false;
  const instance = /^\$scope->(?:getEvent\(\)->)?getObject\(\)\s+instanceof\s+([A-Za-z_]+)$/.exec(c);
  if (instance) {
    const classes = OBJECT_CLASSES[instance[1]!.toLowerCase()] ?? [`Kaltura${instance[1]}`];
    return classes.includes(String(scope.object.objectType));
  }
  const changed = /^in_array\(\s*([A-Za-z]+)Peer::([A-Z_]+)\s*,\s*\$scope->getEvent\(\)->getModifiedColumns\(\)\s*\)$/.exec(c);
  if (changed) return scope.modifiedColumns.includes(`${changed[1]}.${changed[2]}`);
  const compare = /^(.+?)\s*(===|!==|==|!=)\s*(.+)$/.exec(c);
  if (compare) {
    const left = evalField(compare[1]!, scope) ?? literal(compare[1]!);
    const right = evalField(compare[3]!, scope) ?? literal(compare[3]!);
    if (left === undefined || right === undefined) return undefined;
    const equal = left === right;
    return compare[2]!.startsWith('!') ? !equal : equal;
  }
  return undefined;
}

export function evalBoolean(code: string, scope: EventScope): Evaluation<boolean> {
  const unsupported: string[] = [];
  let value = true;
  for (const clause of code.replace(/;$/, '').split('&&')) {
    const result = evalClause(clause, scope);
    if (result === undefined) {
      unsupported.push(clause.trim());
      value = false;
    } else if (!result) value = false;
  }
  return { value, unsupported };
}

/** A KalturaStringValue / KalturaEvalStringField / KalturaObjectIdField value. */
export function evalValue(value: unknown, scope: EventScope): Evaluation<string> {
  if (value === null || value === undefined) return { value: '', unsupported: [] };
  if (typeof value !== 'object') return { value: String(value), unsupported: [] };
  const v = value as ApiObject;
  if (typeof v.code === 'string') {
    const result = evalField(v.code, scope);
    return result === undefined ? { value: '', unsupported: [v.code] } : { value: result, unsupported: [] };
  }
  if (v.objectType === 'KalturaObjectIdField') return { value: String(scope.object.id ?? ''), unsupported: [] };
  if (v.value !== undefined && v.value !== null) return { value: String(v.value), unsupported: [] };
  return { value: '', unsupported: [] };
}

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return Object.values(value);
  return [];
}

function evalCondition(condition: ApiObject, scope: EventScope): Evaluation<boolean> {
  let result: Evaluation<boolean>;
  const field = condition.field as ApiObject | undefined;
  switch (condition.objectType) {
    case 'KalturaEventFieldCondition': {
      const code = typeof field?.code === 'string' ? field.code : undefined;
      result = code === undefined ? { value: false, unsupported: ['KalturaEventFieldCondition without field.code'] } : evalBoolean(code, scope);
      break;
    }
    case 'KalturaFieldMatchCondition': {
      const actual = evalValue(field, scope);
      const values = listOf(condition.values).map((v) => evalValue(v, scope).value);
      result = { value: actual.unsupported.length === 0 && values.includes(actual.value), unsupported: actual.unsupported };
      break;
    }
    case 'KalturaFieldCompareCondition': {
      const actual = evalValue(field, scope);
      const expected = Number(evalValue(condition.value, scope).value);
      const a = Number(actual.value);
      const comparison = Number(condition.comparison ?? 1);
      const ops: Record<number, boolean> = { 1: a === expected, 2: a > expected, 3: a >= expected, 4: a < expected, 5: a <= expected, 6: a !== expected };
      result = { value: actual.unsupported.length === 0 && Boolean(ops[comparison]), unsupported: actual.unsupported };
      break;
    }
    case 'KalturaEventObjectChangedCondition': {
      const wanted = String(condition.modifiedColumns ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const changed = scope.modifiedColumns.map((c) => c.toLowerCase());
      const hit = wanted.some((w) => changed.includes(w.toLowerCase()) || changed.some((c) => c.endsWith(`.${w.toLowerCase()}`)));
      result = { value: hit, unsupported: [] };
      break;
    }
    default:
      result = { value: false, unsupported: [`condition class ${String(condition.objectType)}`] };
  }
  if (condition.not === true || condition.not === 'true' || condition.not === '1' || condition.not === 1) {
    return { value: result.unsupported.length === 0 && !result.value, unsupported: result.unsupported };
  }
  return result;
}

/** All conditions must hold (Kaltura ANDs eventConditions). */
export function conditionsMatch(conditions: unknown, scope: EventScope): Evaluation<boolean> {
  const unsupported: string[] = [];
  let value = true;
  for (const condition of listOf(conditions)) {
    if (!condition || typeof condition !== 'object') continue;
    const r = evalCondition(condition as ApiObject, scope);
    unsupported.push(...r.unsupported);
    if (!r.value) value = false;
  }
  return { value, unsupported };
}

/** Content + user parameters as ordered key/value pairs (DataFields bodies, header placeholders). */
export function evalParameters(template: { contentParameters?: unknown; userParameters?: unknown }, scope: EventScope): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const p of [...listOf(template.contentParameters), ...listOf(template.userParameters)]) {
    if (!p || typeof p !== 'object') continue;
    const key = (p as ApiObject).key;
    if (typeof key !== 'string' || key === '') continue;
    pairs.push([key, evalValue((p as ApiObject).value, scope).value]);
  }
  return pairs;
}
