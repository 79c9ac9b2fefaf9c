// Samples for generating a stub without a captured event (`--source S --type T`), built with the providers'
// sample builders (so they look like the real senders) and fixed values, so the same options give the same files.
import { EVENT_TYPE_NAMES, eventObjectTypeValue, eventTypeValue, LEGACY_NOTIFICATION_TYPES } from '../../protocol/names';
import { ENABLEX_TYPES } from '../providers/enablex';
import { buildEnablexSample, buildKalturaSample, buildLegacySample, type SampleRequest } from '../providers/samples';
import type { CodegenCapture } from './captureInput';
import { CodegenError, TEST_SECRET, type CodegenSource } from './types';

const fixedNow = 1700000000;

// API objects for the commoner non-entry event object types; entries use the providers' KalturaMediaEntry sample.
const objectSamples: Record<string, () => Record<string, unknown>> = {
  CATEGORY: () => ({ id: 42, name: 'Sample category', fullName: 'Root>Sample category', partnerId: 123456, status: 2, objectType: 'KalturaCategory' }),
  FLAVORASSET: () => ({ id: '0_flav1234', entryId: '0_abcd1234', partnerId: 123456, status: 2, size: 2048, objectType: 'KalturaFlavorAsset' }),
  KUSER: () => ({ id: 'user@example.com', partnerId: 123456, screenName: 'Sample user', email: 'user@example.com', status: 1, objectType: 'KalturaUser' }),
  CATEGORYENTRY: () => ({ categoryId: 42, entryId: '0_abcd1234', status: 2, createdAt: fixedNow, objectType: 'KalturaCategoryEntry' }),
};

const legacyTypes = Object.values(LEGACY_NOTIFICATION_TYPES);

export const sampleTypes: Record<CodegenSource, string[]> = {
  kaltura: Object.values(EVENT_TYPE_NAMES).flatMap((e) => ['ENTRY', ...Object.keys(objectSamples)].map((o) => `${e}:${o}`)),
  'kaltura-legacy': legacyTypes,
  enablex: [...ENABLEX_TYPES],
};

const defaultTypes: Record<CodegenSource, string> = {
  kaltura: 'OBJECT_CHANGED:ENTRY',
  'kaltura-legacy': 'entry_add',
  enablex: 'recording',
};

function unknownType(source: string, type: string, known: string[]): CodegenError {
  const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, …` : known.join(', ');
  return new CodegenError(`no built-in ${source} sample for type "${type}"; known types: ${list}`);
}

function toCapture(source: CodegenSource, eventType: string, sample: SampleRequest): CodegenCapture {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sample.headers)) headers[name.toLowerCase()] = value;
  return {
    source,
    eventType,
    method: sample.method,
    path: sample.path.split('?')[0] || '/',
    headers,
    body: sample.body,
    fromSample: true,
  };
}

export function buildSampleCapture(source: CodegenSource, eventType?: string): CodegenCapture {
  const type = eventType ?? defaultTypes[source];
  switch (source) {
    case 'kaltura': {
      const [eventName = '', objectName = ''] = type.toUpperCase().split(':');
      const eventValue = eventTypeValue(eventName);
      const objectValue = eventObjectTypeValue(objectName);
      const object = objectSamples[objectName];
      if (eventValue === undefined || objectValue === undefined || (objectName !== 'ENTRY' && !object)) {
        throw unknownType('kaltura', type, sampleTypes.kaltura);
      }
      const sample = buildKalturaSample({
        eventType: eventValue,
        eventObjectType: objectValue,
        secret: TEST_SECRET,
        path: '/webhooks/kaltura',
        jobId: 123456789,
        entryId: '0_abcd1234',
        now: fixedNow,
        templateName: `${objectName.toLowerCase()} ${eventName.toLowerCase().replace(/_/g, ' ')}`,
        templateSystemName: `HTTP_${objectName}_${eventName}`,
        ...(object ? { object: object() } : {}),
      });
      return toCapture('kaltura', `${eventName}:${objectName}`, sample);
    }
    case 'kaltura-legacy': {
      if (!legacyTypes.includes(type)) throw unknownType('kaltura-legacy', type, legacyTypes);
      const sample = buildLegacySample({ secret: TEST_SECRET, types: [type], firstNotificationId: 1001, entryId: '0_abcd1234', path: '/webhooks/kaltura-legacy' });
      return toCapture('kaltura-legacy', type, sample);
    }
    case 'enablex': {
      if (!(ENABLEX_TYPES as readonly string[]).includes(type)) throw unknownType('enablex', type, [...ENABLEX_TYPES]);
      const sample = buildEnablexSample({
        type, appId: 'sample-app-id', roomId: 'sample-room-id', confNum: '123456', transDate: fixedNow, path: '/webhooks/enablex',
      });
      return toCapture('enablex', type, sample);
    }
  }
}
