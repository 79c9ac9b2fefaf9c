// KalturaMediaEntry as Kaltura serializes it: the class's own members first, then KalturaPlayableEntry's, then
// KalturaBaseEntry's, `objectType` last in JSON. The order is the one in Kaltura's own sample notifications
// (kaltura/server plugins/event_notification/providers/http/example/test.php), with the members newer servers add.
// The sandbox's API answers and notifications and the sample events both build their entries with it.

/** Members in serialization order. */
export const MEDIA_ENTRY_MEMBERS = [
  // KalturaMediaEntry
  'mediaType',
  'conversionQuality',
  'sourceType',
  'searchProviderType',
  'searchProviderId',
  'creditUserName',
  'creditUrl',
  'mediaDate',
  'dataUrl',
  'flavorParamsIds',
  // KalturaPlayableEntry
  'plays',
  'views',
  'width',
  'height',
  'duration',
  'msDuration',
  'durationType',
  // KalturaBaseEntry
  'id',
  'name',
  'description',
  'partnerId',
  'userId',
  'creatorId',
  'tags',
  'adminTags',
  'categories',
  'categoriesIds',
  'status',
  'moderationStatus',
  'moderationCount',
  'type',
  'createdAt',
  'updatedAt',
  'rank',
  'totalRank',
  'votes',
  'groupId',
  'partnerData',
  'downloadUrl',
  'searchText',
  'licenseType',
  'version',
  'thumbnailUrl',
  'accessControlId',
  'startDate',
  'endDate',
  'referenceId',
  'replacingEntryId',
  'replacedEntryId',
  'replacementStatus',
  'partnerSortValue',
  'conversionProfileId',
  'rootEntryId',
  'operationAttributes',
  'entitledUsersEdit',
  'entitledUsersPublish',
  'entitledUsersView',
  'capabilities',
  'displayInSearch',
  'blockAutoTranscript',
] as const;

export type MediaEntryMember = (typeof MEDIA_ENTRY_MEMBERS)[number];

/** What an ordinary partner's new entry holds until something changes it (moderationStatus 6 is AUTO_APPROVED). */
export const NEW_MEDIA_ENTRY_VALUES: Readonly<Partial<Record<MediaEntryMember, unknown>>> = {
  sourceType: '1',
  plays: 0,
  views: 0,
  moderationStatus: 6,
  moderationCount: 0,
  rank: 0,
  totalRank: 0,
  votes: 0,
  licenseType: -1,
  partnerSortValue: 0,
  operationAttributes: [],
  entitledUsersEdit: '',
  entitledUsersPublish: '',
  entitledUsersView: '',
  capabilities: '',
  displayInSearch: 1,
};

/**
 * The entry object with its members in Kaltura's order, NEW_MEDIA_ENTRY_VALUES for the members `values` does not
 * name; members set to undefined are left out (a template's ignoreNull).
 */
export function kalturaMediaEntry(values: Partial<Record<MediaEntryMember, unknown>>): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  for (const member of MEDIA_ENTRY_MEMBERS) {
    const value = member in values ? values[member] : NEW_MEDIA_ENTRY_VALUES[member];
    if (value !== undefined) entry[member] = value;
  }
  entry.objectType = 'KalturaMediaEntry';
  return entry;
}
