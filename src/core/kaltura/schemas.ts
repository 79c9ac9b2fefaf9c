// zod schemas for the Kaltura objects the workbench reads (kaltura-protocol.md §1.5, §3.5, §4). Objects are
// loose: fields this version does not know are kept, so a template read and written back loses nothing.
// String enums (eventType, eventObjectType) arrive as strings or numbers depending on the server; both pass.
import { z } from 'zod';

const stringOrNumber = z.union([z.string(), z.number()]);
/** An integer, as a number or as digits in a string (servers differ). */
export const intLike = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]);
/** curl timeouts (§1.5): whole seconds; an edit with anything else is told the range, not "Invalid input". */
const SECONDS = 'a whole number of seconds, 0 or more (a number, or digits in a string)';
const secondsLike = z.union([z.number().int({ error: SECONDS }).min(0, { error: SECONDS }), z.string().regex(/^\d+$/).transform(Number)], { error: SECONDS });
const boolLike = z.union([z.boolean(), z.literal(0).transform(() => false), z.literal(1).transform(() => true)]);

/** KalturaEventNotificationTemplateStatus. */
export const TemplateStatus = { DISABLED: 1, ACTIVE: 2, DELETED: 3 } as const;
export type TemplateStatusValue = (typeof TemplateStatus)[keyof typeof TemplateStatus];

/** KalturaHttpNotificationMethod. */
export const HttpMethod = { GET: 1, POST: 2, PUT: 3, DELETE: 4 } as const;
/** KalturaSecureHashingAlgo. */
export const SecureHashingAlgo = { SHA_1: 1, SHA_256: 2, SHA_512: 3 } as const;
/** KalturaResponseType, used as KalturaHttpNotificationObjectData.format. */
export const ResponseFormat = { JSON: 1, XML: 2, PHP: 3 } as const;

export const HTTP_TEMPLATE_TYPE = 'httpNotification.Http';

export const keyValueSchema = z.looseObject({ key: z.string(), value: z.string() });
export type KalturaKeyValue = z.infer<typeof keyValueSchema>;

export const eventNotificationParameterSchema = z.looseObject({
  key: z.string(),
  description: z.string().optional(),
  value: z.looseObject({}).optional(),
});

export const eventNotificationTemplateSchema = z.looseObject({
  objectType: z.string().optional(),
  id: intLike,
  partnerId: intLike.optional(),
  name: z.string().optional(),
  systemName: z.string().optional(),
  description: z.string().optional(),
  type: z.string().optional(),
  status: intLike.optional(),
  createdAt: intLike.optional(),
  updatedAt: intLike.optional(),
  manualDispatchEnabled: boolLike.optional(),
  automaticDispatchEnabled: boolLike.optional(),
  eventType: stringOrNumber.optional(),
  eventObjectType: stringOrNumber.optional(),
  eventDelayedCondition: intLike.optional(),
  eventConditions: z.array(z.looseObject({})).optional(),
  contentParameters: z.array(eventNotificationParameterSchema).optional(),
  userParameters: z.array(eventNotificationParameterSchema).optional(),
});
export type KalturaEventNotificationTemplate = z.infer<typeof eventNotificationTemplateSchema>;

export const httpNotificationDataSchema = z.looseObject({
  objectType: z.string().optional(),
  apiObjectType: z.string().optional(),
  format: intLike.optional(),
  ignoreNull: boolLike.optional(),
  code: z.string().optional(),
  contentType: z.string().optional(),
});

/** KalturaHttpNotificationTemplate: the base fields plus the delivery fields of §1.5. */
export const httpNotificationTemplateSchema = eventNotificationTemplateSchema.extend({
  url: z.string().optional(),
  method: intLike.optional(),
  data: httpNotificationDataSchema.optional(),
  timeout: secondsLike.optional(),
  connectTimeout: secondsLike.optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  authenticationMethod: intLike.optional(),
  sslVersion: intLike.optional(),
  sslCertificate: z.string().optional(),
  sslCertificateType: z.string().optional(),
  sslCertificatePassword: z.string().optional(),
  sslEngine: z.string().optional(),
  sslEngineDefault: z.string().optional(),
  sslKeyType: z.string().optional(),
  sslKey: z.string().optional(),
  sslKeyPassword: z.string().optional(),
  customHeaders: z.array(keyValueSchema).optional(),
  secureHashingAlgo: intLike.optional(),
});
export type KalturaHttpNotificationTemplate = z.infer<typeof httpNotificationTemplateSchema>;

/** Any template a server returns; HTTP fields are present only for HTTP templates. */
export const anyTemplateSchema = httpNotificationTemplateSchema;
export type AnyTemplate = KalturaHttpNotificationTemplate;

export const templateListResponseSchema = z.looseObject({
  objectType: z.string().optional(),
  objects: z.array(anyTemplateSchema).default([]),
  totalCount: intLike.default(0),
});
export type TemplateListResponse = z.infer<typeof templateListResponseSchema>;

/** KalturaEventNotificationScope for dispatch. */
export interface EventNotificationScope {
  objectId: string;
  /** KalturaEventNotificationEventObjectType, e.g. 1 (ENTRY) or "metadataEventNotifications.Metadata". */
  scopeObjectType: string | number;
}

export const sessionInfoSchema = z.looseObject({
  ks: z.string().min(1),
  sessionType: intLike.optional(),
  partnerId: intLike.optional(),
  userId: stringOrNumber.optional(),
  expiry: intLike.optional(),
  privileges: z.string().optional(),
});

export const widgetSessionSchema = z.looseObject({
  ks: z.string().min(1),
  partnerId: intLike.optional(),
  // Widget sessions carry userId 0 as a number.
  userId: stringOrNumber.optional(),
});

export const ksStringSchema = z.string().min(1, 'the server returned an empty KS');
export const dispatchResultSchema = intLike;

/** Filter fields of KalturaEventNotificationTemplateFilter (all optional). */
export interface TemplateFilter {
  idEqual?: number;
  idIn?: string;
  partnerIdEqual?: number;
  partnerIdIn?: string;
  systemNameEqual?: string;
  systemNameIn?: string;
  typeEqual?: string;
  typeIn?: string;
  statusEqual?: number;
  statusIn?: string;
  createdAtGreaterThanOrEqual?: number;
  createdAtLessThanOrEqual?: number;
  updatedAtGreaterThanOrEqual?: number;
  updatedAtLessThanOrEqual?: number;
  orderBy?: string;
  [field: string]: unknown;
}

export interface FilterPager {
  pageSize?: number;
  /** 1-based. */
  pageIndex?: number;
}
