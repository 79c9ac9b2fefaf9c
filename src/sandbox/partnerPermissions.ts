// What an ordinary partner's admin KS may set on a template (kaltura-protocol.md §4.2). Members marked
// `@requiresPermission` are granted to the Admin Console (partner -2) only; for anyone else Kaltura does not refuse
// the request: it sets the member to null, so it is not applied, and names it in a response header
// (KalturaObject::toUpdatableObject / validateForUsage). The sandbox does the same, header text included.
import type { ApiObject } from './types';
import type { TemplateField, TemplateProps } from './templateSchema';

/** `@requiresPermission update` on KalturaEventNotificationTemplate: clone overrides and update both go through it. */
export const ADMIN_CONSOLE_FIELDS: readonly TemplateField[] = [
  'manualDispatchEnabled',
  'automaticDispatchEnabled',
  'eventType',
  'eventObjectType',
  'eventConditions',
  'contentParameters',
  'eventDelayedCondition',
];

/** Classes whose `code` is `@requiresPermission all`: PHP evaluated on the server. */
const EVAL_CLASSES = new Set(['KalturaEvalStringField', 'KalturaEvalBooleanField']);

const DECLARING_CLASS = 'KalturaEventNotificationTemplate';

/** A response header as Kaltura writes it: `<declaring class>-<member>-error: <message>`. */
export type PermissionNotice = [name: string, value: string];

/**
 * Drops what the caller may not set from `changes` and returns the headers that say so. A member equal to the
 * current value is kept: Kaltura skips unchanged members before it checks permissions. Arrays are never equal
 * (PHP compares the API array object with the stored one), so an ordinary partner never sets them.
 */
export function dropAdminConsoleMembers(changes: TemplateProps, current: TemplateProps, className: string): PermissionNotice[] {
  const notices: PermissionNotice[] = [];
  for (const field of ADMIN_CONSOLE_FIELDS) {
    const value = changes[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) && typeof value !== 'object' && scalarEqual(value, current[field])) continue;
    delete changes[field];
    notices.push([
      `${DECLARING_CLASS}-${field}-error`,
      `Current user does not have permission to update property "${className}::${field}"`,
    ]);
  }
  for (const field of Object.keys(changes) as TemplateField[]) notices.push(...dropEvalCode(changes[field]));
  // Not an API member at all (templates made after 2016-07 have it false); only the sandbox's Admin Console sets it.
  const data = changes.data as ApiObject | undefined;
  if (data && typeof data === 'object' && 'urlEncode' in data) delete data.urlEncode;
  return notices;
}

function scalarEqual(a: unknown, b: unknown): boolean {
  // Propel keeps booleans as integers and enums as strings; the API compares after that conversion.
  return String(a) === String(b ?? '') || (typeof a === 'boolean' && (b === (a ? 1 : 0)));
}

/** Nulls `code` of every eval field inside a member's value (user parameters, a DataText content). */
function dropEvalCode(value: unknown, depth = 0): PermissionNotice[] {
  if (depth > 20 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item) => dropEvalCode(item, depth + 1));
  const object = value as ApiObject;
  const notices: PermissionNotice[] = [];
  if (typeof object.objectType === 'string' && EVAL_CLASSES.has(object.objectType) && object.code !== undefined && object.code !== null) {
    delete object.code;
    notices.push([`${object.objectType}-code-error`, `Current user does not have permission to use property "${object.objectType}::code"`]);
  }
  for (const [key, inner] of Object.entries(object)) if (key !== 'objectType') notices.push(...dropEvalCode(inner, depth + 1));
  return notices;
}
