// Kaltura enum values → names and friendly labels (kaltura-protocol.md §1.2, §1.5, §2.2, §4).
// The API declares eventType and eventObjectType as *string* enums, yet payloads carry JSON numbers,
// so every lookup accepts number | string and plugin values such as "metadataEventNotifications.Metadata".

type Key = number | string | null | undefined;

/** The value → name table of a name → value table, with the plugin values that are not names. */
function namesOf(values: Readonly<Record<string, string>>, extra: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) names[value] = name;
  return Object.freeze({ ...names, ...extra });
}

/** KalturaEventNotificationEventType: name → value, one definition for the sandbox, the trigger planner and the labels. */
export const EVENT_TYPE = {
  BATCH_JOB_STATUS: '1',
  OBJECT_ADDED: '2',
  OBJECT_CHANGED: '3',
  OBJECT_COPIED: '4',
  OBJECT_CREATED: '5',
  OBJECT_DATA_CHANGED: '6',
  OBJECT_DELETED: '7',
  OBJECT_ERASED: '8',
  OBJECT_READY_FOR_REPLACMENT: '9', // sic: the API constant is misspelled
  OBJECT_SAVED: '10',
  OBJECT_UPDATED: '11',
  OBJECT_REPLACED: '12',
  OBJECT_READY_FOR_INDEX: '13',
} as const;

export const EVENT_TYPE_NAMES: Readonly<Record<string, string>> = namesOf(EVENT_TYPE, {
  'integrationEventNotifications.INTEGRATION_JOB_CLOSED': 'INTEGRATION_JOB_CLOSED',
});

/** KalturaEventNotificationEventObjectType: name → value. */
export const EVENT_OBJECT_TYPE = {
  ENTRY: '1',
  CATEGORY: '2',
  ASSET: '3',
  FLAVORASSET: '4',
  THUMBASSET: '5',
  KUSER: '8',
  ACCESSCONTROL: '9',
  BATCHJOB: '10',
  BULKUPLOADRESULT: '11',
  CATEGORYKUSER: '12',
  CONVERSIONPROFILE2: '14',
  FLAVORPARAMS: '15',
  FLAVORPARAMSCONVERSIONPROFILE: '16',
  FLAVORPARAMSOUTPUT: '17',
  GENERICSYNDICATIONFEED: '18',
  KUSERTOUSERROLE: '19',
  PARTNER: '20',
  PERMISSION: '21',
  PERMISSIONITEM: '22',
  PERMISSIONTOPERMISSIONITEM: '23',
  SCHEDULER: '24',
  SCHEDULERCONFIG: '25',
  SCHEDULERSTATUS: '26',
  SCHEDULERWORKER: '27',
  STORAGEPROFILE: '28',
  SYNDICATIONFEED: '29',
  THUMBPARAMS: '31',
  THUMBPARAMSOUTPUT: '32',
  UPLOADTOKEN: '33',
  USERLOGINDATA: '34',
  USERROLE: '35',
  WIDGET: '36',
  CATEGORYENTRY: '37',
  LIVE_STREAM: '38',
  SERVER_NODE: '39',
  ENTRY_SERVER_NODE: '40',
  REACH_PROFILE: '41',
  ENTRY_VENDOR_TASK: '42',
  GROUPUSER: '43',
  USER_ENTRY: '44',
} as const;

export const EVENT_OBJECT_TYPE_NAMES: Readonly<Record<string, string>> = namesOf(EVENT_OBJECT_TYPE, {
  // Plugin values, as in the official client's EventNotificationEventObjectType.
  'adCuePointEventNotifications.AdCuePoint': 'AD_CUE_POINT',
  'annotationEventNotifications.Annotation': 'ANNOTATION',
  'attachmentAssetEventNotifications.AttachmentAsset': 'ATTACHMENT_ASSET',
  'captionAssetEventNotifications.CaptionAsset': 'CAPTION_ASSET',
  'codeCuePointEventNotifications.CodeCuePoint': 'CODE_CUE_POINT',
  'contentDistributionEventNotifications.DistributionProfile': 'DISTRIBUTION_PROFILE',
  'contentDistributionEventNotifications.EntryDistribution': 'ENTRY_DISTRIBUTION',
  'cuePointEventNotifications.CuePoint': 'CUE_POINT',
  'dropFolderEventNotifications.DropFolder': 'DROP_FOLDER',
  'dropFolderEventNotifications.DropFolderFile': 'DROP_FOLDER_FILE',
  'metadataEventNotifications.Metadata': 'METADATA',
  'scheduleEventNotifications.ScheduleEvent': 'SCHEDULE_EVENT',
  'scheduleEventNotifications.ScheduleEventResource': 'SCHEDULE_EVENT_RESOURCE',
  'scheduleEventNotifications.ScheduleResource': 'SCHEDULE_RESOURCE',
  'transcriptAssetEventNotifications.TranscriptAsset': 'TRANSCRIPT_ASSET',
  'virtualEventEventNotifications.VirtualEvent': 'VIRTUAL_EVENT',
});

/** KalturaEntryStatus values (a string enum in the API, numbers on the wire). */
export const ENTRY_STATUS = {
  ERROR_IMPORTING: -2,
  ERROR_CONVERTING: -1,
  IMPORT: 0,
  PRECONVERT: 1,
  READY: 2,
  DELETED: 3,
  PENDING: 4,
  MODERATE: 5,
  BLOCKED: 6,
  NO_CONTENT: 7,
} as const;

/** KalturaEntryStatus. */
export const ENTRY_STATUS_NAMES: Readonly<Record<string, string>> = {
  '-2': 'ERROR_IMPORTING',
  '-1': 'ERROR_CONVERTING',
  '0': 'IMPORT',
  '1': 'PRECONVERT',
  '2': 'READY',
  '3': 'DELETED',
  '4': 'PENDING',
  '5': 'MODERATE',
  '6': 'BLOCKED',
  '7': 'NO_CONTENT',
  'virusScan.Infected': 'INFECTED',
  'virusScan.ScanFailure': 'SCAN_FAILURE',
};

/** KalturaEventNotificationTemplateStatus. */
export const TEMPLATE_STATUS_NAMES: Readonly<Record<string, string>> = { '1': 'DISABLED', '2': 'ACTIVE', '3': 'DELETED' };

/** KalturaHttpNotificationMethod. */
export const HTTP_METHOD_NAMES: Readonly<Record<string, string>> = { '1': 'GET', '2': 'POST', '3': 'PUT', '4': 'DELETE' };

/** KalturaSecureHashingAlgo: the value the engine maps to an X-KALTURA-HASH-ALGO name (anything else → sha1). */
export const SECURE_HASHING_ALGO_NAMES: Readonly<Record<string, string>> = { '1': 'SHA_1', '2': 'SHA_256', '3': 'SHA_512' };

/** KalturaNotificationType (legacy partner notifications, §2.2): numeric value → wire string. */
export const LEGACY_NOTIFICATION_TYPES: Readonly<Record<string, string>> = {
  '1': 'entry_add',
  '2': 'entry_update_permissions',
  '3': 'entry_delete',
  '4': 'entry_block',
  '5': 'entry_update',
  '6': 'entry_update_thumbnail',
  '7': 'entry_update_moderation',
  '21': 'user_add',
  '26': 'user_banned',
};

/** Legacy object type → the single object-id key the sender writes (§2.2 step 5). */
export const LEGACY_OBJECT_ID_KEYS = { 1: 'entry_id', 2: 'kshow_id', 3: 'user_id', 4: 'job_id' } as const;

function lookup(table: Readonly<Record<string, string>>, value: Key): string | undefined {
  if (value === null || value === undefined) return undefined;
  const key = String(value).trim();
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export function eventTypeName(value: Key): string | undefined {
  return lookup(EVENT_TYPE_NAMES, value);
}

export function eventObjectTypeName(value: Key): string | undefined {
  return lookup(EVENT_OBJECT_TYPE_NAMES, value);
}

export function entryStatusName(value: Key): string | undefined {
  return lookup(ENTRY_STATUS_NAMES, value);
}

export function templateStatusName(value: Key): string | undefined {
  return lookup(TEMPLATE_STATUS_NAMES, value);
}

export function httpMethodName(value: Key): string | undefined {
  return lookup(HTTP_METHOD_NAMES, value);
}

export function secureHashingAlgoName(value: Key): string | undefined {
  return lookup(SECURE_HASHING_ALGO_NAMES, value);
}

export function legacyNotificationTypeName(value: Key): string | undefined {
  return lookup(LEGACY_NOTIFICATION_TYPES, value);
}

/** Reverse lookups for builders and forms: "OBJECT_CHANGED" → 3, "ENTRY" → 1, "READY" → 2. */
function reverse(table: Readonly<Record<string, string>>, name: string): number | string | undefined {
  const wanted = name.trim().toUpperCase();
  for (const [value, n] of Object.entries(table)) {
    if (n === wanted) return /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return undefined;
}

export function eventTypeValue(name: string): number | string | undefined {
  return reverse(EVENT_TYPE_NAMES, name);
}

export function eventObjectTypeValue(name: string): number | string | undefined {
  return reverse(EVENT_OBJECT_TYPE_NAMES, name);
}

export function entryStatusValue(name: string): number | string | undefined {
  return reverse(ENTRY_STATUS_NAMES, name);
}

// Names whose words should not be split or lower-cased naively.
const SPECIAL_WORDS: Readonly<Record<string, string>> = {
  KUSER: 'User',
  CATEGORYKUSER: 'Category user',
  KUSERTOUSERROLE: 'User role assignment',
  CATEGORYENTRY: 'Category entry',
  FLAVORASSET: 'Flavor asset',
  THUMBASSET: 'Thumbnail asset',
  ACCESSCONTROL: 'Access control',
  BATCHJOB: 'Batch job',
  BULKUPLOADRESULT: 'Bulk upload result',
  CONVERSIONPROFILE2: 'Conversion profile',
  FLAVORPARAMS: 'Flavor params',
  FLAVORPARAMSCONVERSIONPROFILE: 'Flavor params conversion profile',
  FLAVORPARAMSOUTPUT: 'Flavor params output',
  GENERICSYNDICATIONFEED: 'Generic syndication feed',
  PERMISSIONITEM: 'Permission item',
  PERMISSIONTOPERMISSIONITEM: 'Permission to permission item',
  SCHEDULERCONFIG: 'Scheduler config',
  SCHEDULERSTATUS: 'Scheduler status',
  SCHEDULERWORKER: 'Scheduler worker',
  STORAGEPROFILE: 'Storage profile',
  SYNDICATIONFEED: 'Syndication feed',
  THUMBPARAMS: 'Thumbnail params',
  THUMBPARAMSOUTPUT: 'Thumbnail params output',
  UPLOADTOKEN: 'Upload token',
  USERLOGINDATA: 'User login data',
  USERROLE: 'User role',
  GROUPUSER: 'Group user',
  OBJECT_READY_FOR_REPLACMENT: 'Object ready for replacement',
};

/** "OBJECT_CHANGED" → "Object changed", "ENTRY" → "Entry", "KUSER" → "User". */
export function friendlyLabel(name: string): string {
  const special = SPECIAL_WORDS[name];
  if (special) return special;
  const words = name.toLowerCase().split('_').filter(Boolean);
  if (words.length === 0) return name;
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Friendly label for an eventType value; unknown values are shown as sent. */
export function eventTypeLabel(value: Key): string {
  const name = eventTypeName(value);
  return name ? friendlyLabel(name) : `Event type ${String(value ?? '?')}`;
}

/** Friendly label for an eventObjectType value; unknown values are shown as sent. */
export function eventObjectTypeLabel(value: Key): string {
  const name = eventObjectTypeName(value);
  return name ? friendlyLabel(name) : `Object type ${String(value ?? '?')}`;
}
