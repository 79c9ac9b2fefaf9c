// What a client may send as an event notification template (add / clone overrides / update), validated with
// zod. Form-encoded requests carry every value as a string, so scalars are coerced the way PHP's API layer does.
import { z } from 'zod';
import { errors } from './apiErrors';
import { asArray } from './requestParams';
import type { ApiObject } from './types';

const intLike = (v: unknown): unknown => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v);
const boolLike = (v: unknown): unknown => {
  if (v === true || v === 'true' || v === '1' || v === 1) return true;
  if (v === false || v === 'false' || v === '0' || v === 0 || v === '') return false;
  return v;
};
const stringLike = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
const listLike = (v: unknown): unknown => asArray(v) ?? v;

export const zInt = z.preprocess(intLike, z.number().int());
export const zBool = z.preprocess(boolLike, z.boolean());
export const zStr = z.preprocess(stringLike, z.string());
export const zApiObject = z.looseObject({ objectType: z.string().optional() });
const zObjectList = z.preprocess(listLike, z.array(zApiObject));
const zKeyValueList = z.preprocess(listLike, z.array(z.looseObject({ key: zStr, value: zStr })));

/** KalturaHttpNotificationData subclasses (§1.6); anything else is refused when the template is saved, not at send time. */
const zData = z.discriminatedUnion('objectType', [
  z.looseObject({
    objectType: z.literal('KalturaHttpNotificationObjectData'),
    apiObjectType: zStr.optional(),
    format: zInt.refine((f) => f >= 1 && f <= 3, 'format must be 1 JSON, 2 XML or 3 PHP').optional(),
    ignoreNull: zBool.optional(),
    code: zStr.optional(),
    dataStringReplacements: zKeyValueList.optional(),
    responseProfileId: zInt.optional(),
  }),
  z.looseObject({ objectType: z.literal('KalturaHttpNotificationDataFields'), contentType: zStr.optional() }),
  z.looseObject({ objectType: z.literal('KalturaHttpNotificationDataText'), content: zApiObject.optional(), contentType: zStr.optional() }),
]);

/** Writable members, in the order the API serializes them (base class first, then the HTTP and e-mail subclasses). */
export const templateFieldSchemas = {
  name: zStr,
  systemName: zStr,
  description: zStr,
  manualDispatchEnabled: zBool,
  automaticDispatchEnabled: zBool,
  eventType: zStr,
  eventObjectType: zStr,
  eventConditions: zObjectList,
  contentParameters: zObjectList,
  userParameters: zObjectList,
  eventDelayedCondition: zInt,
  // KalturaHttpNotificationTemplate (kaltura-protocol.md §1.5)
  url: zStr,
  method: zInt,
  data: zData,
  timeout: zInt.refine((t) => t >= 0, 'timeout must be ≥ 0 seconds'),
  connectTimeout: zInt,
  username: zStr,
  password: zStr,
  authenticationMethod: zInt,
  sslVersion: zInt,
  sslCertificate: zStr,
  sslCertificateType: zStr,
  sslCertificatePassword: zStr,
  sslEngine: zStr,
  sslEngineDefault: zStr,
  sslKeyType: zStr,
  sslKey: zStr,
  sslKeyPassword: zStr,
  customHeaders: zKeyValueList,
  secureHashingAlgo: zInt,
  // KalturaEmailNotificationTemplate (enough to list and clone the system e-mail templates)
  format: zStr,
  subject: zStr,
  body: zStr,
  fromEmail: zStr,
  fromName: zStr,
  to: zApiObject,
} as const;

export type TemplateField = keyof typeof templateFieldSchemas;
export type TemplateProps = Partial<Record<TemplateField, unknown>>;

export const BASE_FIELDS: TemplateField[] = [
  'name', 'systemName', 'description', 'manualDispatchEnabled', 'automaticDispatchEnabled', 'eventType', 'eventObjectType',
  'eventConditions', 'contentParameters', 'userParameters', 'eventDelayedCondition',
];
export const HTTP_FIELDS: TemplateField[] = [
  'url', 'method', 'data', 'timeout', 'connectTimeout', 'username', 'password', 'authenticationMethod', 'sslVersion',
  'sslCertificate', 'sslCertificateType', 'sslCertificatePassword', 'sslEngine', 'sslEngineDefault', 'sslKeyType', 'sslKey',
  'sslKeyPassword', 'customHeaders', 'secureHashingAlgo',
];
export const EMAIL_FIELDS: TemplateField[] = ['format', 'subject', 'body', 'fromEmail', 'fromName', 'to'];

/** Members the API marks readonly (or insert-only: `type`); update/clone refuse them unless the value is unchanged. */
export const NOT_UPDATABLE = ['id', 'partnerId', 'status', 'createdAt', 'updatedAt'] as const;

/** Enumerations checked on input (KalturaEnum): a value outside them is INVALID_ENUM_VALUE. */
const ENUMS: Partial<Record<TemplateField, { type: string; values: readonly number[] }>> = {
  secureHashingAlgo: { type: 'KalturaSecureHashingAlgo', values: [1, 2, 3] },
  method: { type: 'KalturaHttpNotificationMethod', values: [1, 2, 3, 4] },
  eventDelayedCondition: { type: 'KalturaEventNotificationDelayedCondition', values: [0, 1] },
};

export interface TemplateClass {
  objectType: string;
  type: string;
  fields: TemplateField[];
}

export const TEMPLATE_CLASSES: TemplateClass[] = [
  { objectType: 'KalturaHttpNotificationTemplate', type: 'httpNotification.Http', fields: [...BASE_FIELDS, ...HTTP_FIELDS] },
  { objectType: 'KalturaEmailNotificationTemplate', type: 'emailNotification.Email', fields: [...BASE_FIELDS, ...EMAIL_FIELDS] },
];

export function classByObjectType(objectType: string | undefined): TemplateClass | undefined {
  return TEMPLATE_CLASSES.find((c) => c.objectType === objectType);
}

export function classByType(type: string): TemplateClass | undefined {
  return TEMPLATE_CLASSES.find((c) => c.type === type);
}

/**
 * Validates the writable members of a template object. Returns only the members that were sent; `null`
 * means "clear". For update and clone overrides (`current` given) readonly members are refused unless unchanged
 * (PROPERTY_VALIDATION_NOT_UPDATABLE), and `type` is skipped as the HTTP template class does. Unknown members such
 * as `signSecret` are ignored, as the API ignores properties its class does not declare.
 */
export function parseTemplateInput(input: ApiObject, className: string, current?: { values: Record<string, unknown> }): TemplateProps {
  if (current) {
    for (const field of NOT_UPDATABLE) {
      const value = input[field];
      if (value !== undefined && value !== null && String(value) !== String(current.values[field] ?? '')) throw errors.notUpdatable(`${className}::${field}`);
    }
  }
  const props: TemplateProps = {};
  for (const [field, schema] of Object.entries(templateFieldSchemas) as Array<[TemplateField, z.ZodType]>) {
    const raw = input[field];
    if (raw === undefined) continue;
    if (raw === null) {
      props[field] = null;
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw errors.wrongFormat(`${className}::${field}`, issue ? issue.message : 'invalid value');
    }
    const enumeration = ENUMS[field];
    if (enumeration && !enumeration.values.includes(parsed.data as number)) throw errors.invalidEnumValue(String(raw), field, enumeration.type);
    props[field] = parsed.data;
  }
  // validatePropertyMinLength: name is required on insert, systemName may be empty.
  if (typeof props.name === 'string' && props.name.length < 3) throw errors.minLength(`${className}::name`, 3);
  if (!current && (props.name === undefined || props.name === null)) throw errors.cannotBeNull(`${className}::name`);
  if (typeof props.systemName === 'string' && props.systemName !== '' && props.systemName.length < 3) throw errors.minLength(`${className}::systemName`, 3);
  if (typeof props.connectTimeout === 'number' && props.connectTimeout < 1) throw errors.minValue(`${className}::connectTimeout`, 1);
  return props;
}

/** Parses a scalar parameter with a zod schema, naming the parameter when it is missing or malformed. */
export function param<T>(params: Record<string, unknown>, name: string, schema: z.ZodType<T>, required: true): T;
export function param<T>(params: Record<string, unknown>, name: string, schema: z.ZodType<T>, required?: false): T | undefined;
export function param<T>(params: Record<string, unknown>, name: string, schema: z.ZodType<T>, required = false): T | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw errors.missingParameter(name);
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw errors.invalidParameter(name, parsed.error.issues[0]?.message ?? 'invalid value');
  return parsed.data;
}

