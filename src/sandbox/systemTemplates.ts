// Partner 0 (system) templates. The real ones are not public (kaltura-protocol.md §4.1): these follow the
// system names, event pairs and content parameters visible in public sources and the api-guides: HTTP type,
// shipped DISABLED, data null (so a clone must set `data` to get a body), manual dispatch left unset (§4.2: a
// partner's clone cannot turn it on, so dispatch of a clone fails as it does on Kaltura).
import type { ApiObject } from './types';
import type { TemplateProps } from './templateSchema';

export interface SystemTemplateDefinition {
  type: string;
  props: TemplateProps;
}

const evalString = (code: string): ApiObject => ({ objectType: 'KalturaEvalStringField', code });

function param(key: string, description: string, code: string): ApiObject {
  return { objectType: 'KalturaEventNotificationParameter', key, description, value: evalString(code) };
}

function fieldCondition(description: string, code: string): ApiObject {
  return { objectType: 'KalturaEventFieldCondition', description, field: { objectType: 'KalturaEvalBooleanField', code } };
}

const ENTRY_PARAMS = [
  param('entry_id', 'Entry ID', '$scope->getObject()->getId()'),
  param('entry_name', 'Entry name', '$scope->getObject()->getName()'),
  param('entry_status', 'Entry status', '$scope->getObject()->getStatus()'),
  param('entry_reference_id', 'Entry reference ID', '$scope->getObject()->getReferenceID()'),
];

const STATUS_CHANGED = fieldCondition(
  'Entry status changed',
  '$scope->getObject() instanceof entry && in_array(entryPeer::STATUS, $scope->getEvent()->getModifiedColumns())',
);

function http(
  name: string,
  systemName: string,
  description: string,
  eventType: string,
  eventObjectType: string,
  extra: TemplateProps = {},
): SystemTemplateDefinition {
  return {
    type: 'httpNotification.Http',
    props: {
      name,
      systemName,
      description,
      automaticDispatchEnabled: true,
      eventType,
      eventObjectType,
      eventDelayedCondition: 0,
      url: '',
      method: 2,
      data: null,
      timeout: 30,
      connectTimeout: 5,
      ...extra,
    },
  };
}

export const SYSTEM_TEMPLATES: SystemTemplateDefinition[] = [
  http('Entry Status Changed', 'HTTP_ENTRY_STATUS_CHANGED', 'HTTP notification when an entry status changes', '3', '1', {
    eventConditions: [STATUS_CHANGED],
    contentParameters: ENTRY_PARAMS,
  }),
  http('Entry Status Equals', 'HTTP_ENTRY_STATUS_EQUAL', 'HTTP notification when an entry status changes to READY (2); clone and change the match value for another status', '3', '1', {
    eventConditions: [
      STATUS_CHANGED,
      {
        objectType: 'KalturaFieldMatchCondition',
        description: 'Status equals',
        field: evalString('$scope->getObject()->getStatus()'),
        values: [{ objectType: 'KalturaStringValue', value: '2' }],
      },
    ],
    contentParameters: ENTRY_PARAMS,
  }),
  http('Entry Changed', 'HTTP_ENTRY_CHANGED', 'HTTP notification when any entry field changes', '3', '1', {
    eventConditions: [fieldCondition('Object is an entry', '$scope->getObject() instanceof entry')],
    contentParameters: ENTRY_PARAMS,
  }),
  http('Entry Added', 'HTTP_ENTRY_ADDED', 'HTTP notification when an entry is added', '2', '1', { contentParameters: ENTRY_PARAMS }),
  http('Entry Ready', 'HTTP_ENTRY_READY', 'HTTP notification when an entry is added, sent once it is READY', '2', '1', {
    contentParameters: ENTRY_PARAMS,
    eventDelayedCondition: 1,
  }),
  http('Entry Deleted', 'HTTP_ENTRY_DELETED', 'HTTP notification when an entry is deleted', '7', '1', {
    contentParameters: [param('entry_id', 'Entry ID', '$scope->getObject()->getId()')],
  }),
  http('Metadata Field Changed', 'HTTP_METADATA_FIELD_CHANGED', 'HTTP notification when a custom metadata field changes', '6', 'metadataEventNotifications.Metadata', {
    contentParameters: [
      param('metadata_id', 'Metadata ID', '$scope->getObject()->getId()'),
      param('metadata_profile_id', 'Metadata profile ID', '$scope->getObject()->getMetadataProfileId()'),
      param('object_id', 'Object ID', '$scope->getObject()->getObjectId()'),
    ],
  }),
  http('Entry Added to Category', 'HTTP_ENTRY_ADDED_TO_CATEGORY', 'HTTP notification when an entry is added to a category', '2', '37', {
    contentParameters: [
      param('entry_id', 'Entry ID', '$scope->getObject()->getEntryId()'),
      param('category_id', 'Category ID', '$scope->getObject()->getCategoryId()'),
    ],
  }),
  http('Entry Approved In Category', 'HTTP_Entry_Approved_In_Category', 'HTTP notification when an entry is approved in a category', '3', '37', {
    contentParameters: [
      param('entry_id', 'Entry ID', '$scope->getObject()->getEntryId()'),
      param('category_id', 'Category ID', '$scope->getObject()->getCategoryId()'),
    ],
  }),
  http('Flavor Asset Status Changed', 'HTTP_FLAVOR_ASSET_STATUS_CHANGED', 'HTTP notification when a flavor asset status changes', '3', '4', {
    contentParameters: [
      param('flavor_asset_id', 'Flavor asset ID', '$scope->getObject()->getId()'),
      param('entry_id', 'Entry ID', '$scope->getObject()->getEntryId()'),
      param('flavor_asset_status', 'Flavor asset status', '$scope->getObject()->getStatus()'),
    ],
  }),
  http('Entry Vendor Task Done', 'HTTP_ENTRY_VENDOR_TASK_DONE', 'HTTP notification when a REACH task is ready', '3', '42', {
    contentParameters: [
      param('task_id', 'Task ID', '$scope->getObject()->getId()'),
      param('entry_id', 'Entry ID', '$scope->getObject()->getEntryId()'),
      param('catalog_item_id', 'Catalog item ID', '$scope->getObject()->getCatalogItemId()'),
    ],
  }),
  {
    type: 'emailNotification.Email',
    props: {
      name: 'Entry Ready',
      systemName: 'EMAIL_ENTRY_READY',
      description: 'E-mail notification when an entry is ready',
      automaticDispatchEnabled: true,
      eventType: '3',
      eventObjectType: '1',
      eventConditions: [STATUS_CHANGED],
      format: '1',
      subject: 'Entry is ready',
      body: 'Entry {entry_id} is ready',
      fromEmail: 'notifications@example.com',
      fromName: 'Kaltura Sandbox',
    },
  },
];
