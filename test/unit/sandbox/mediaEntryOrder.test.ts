// The sandbox's entries and the sample events serialize a KalturaMediaEntry in Kaltura's member order. The
// expected order is copied from Kaltura's own sample notification (kaltura/server
// plugins/event_notification/providers/http/example/test.php, "Entry Status Changed - JSON"): the media entry's own
// members, then the playable entry's, then the base entry's. The sandbox used to start with the base entry's `id`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleMediaEntry } from '../../../src/core/providers/samples';
import { MEDIA_ENTRY_MEMBERS } from '../../../src/protocol/mediaEntry';
import { startSandbox } from '../../../src/sandbox';
import { entryToApiObject } from '../../../src/sandbox/entries';

const KALTURA_SAMPLE_ORDER = (
  'mediaType,conversionQuality,sourceType,searchProviderType,searchProviderId,creditUserName,creditUrl,mediaDate,dataUrl,' +
  'flavorParamsIds,plays,views,width,height,duration,msDuration,durationType,id,name,description,partnerId,userId,creatorId,' +
  'tags,adminTags,categories,categoriesIds,status,moderationStatus,moderationCount,type,createdAt,updatedAt,rank,totalRank,' +
  'votes,groupId,partnerData,downloadUrl,searchText,licenseType,version,thumbnailUrl,accessControlId,startDate,endDate,' +
  'referenceId,replacingEntryId,replacedEntryId,replacementStatus,partnerSortValue,conversionProfileId,rootEntryId,' +
  'operationAttributes,entitledUsersEdit,entitledUsersPublish'
).split(',');

/** True when `keys` keep the relative order of `order` (every key known). */
function inOrder(keys: string[], order: readonly string[]): boolean {
  let at = -1;
  for (const key of keys) {
    const next = order.indexOf(key);
    if (next <= at) return false;
    at = next;
  }
  return true;
}

test('the member list keeps the order of Kaltura\'s own sample notification', () => {
  assert.deepEqual(MEDIA_ENTRY_MEMBERS.slice(0, KALTURA_SAMPLE_ORDER.length), KALTURA_SAMPLE_ORDER);
});

test('sandbox entries and sample events come out in that order, objectType last', async () => {
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0 });
  try {
    const entry = sandbox.addEntry({ name: 'Order check', tags: 'a,b' });
    const fromSandbox = Object.keys(entryToApiObject(sandbox.getEntry(entry.id)!));
    const fromSample = Object.keys(sampleMediaEntry({ entryId: '0_order01', name: 'n', partnerId: 1, status: 2, now: 1_700_000_000 }));
    for (const [what, keys] of [['sandbox', fromSandbox], ['sample', fromSample]] as const) {
      assert.equal(keys.at(-1), 'objectType', what);
      assert.equal(keys[0], 'mediaType', `${what} starts with the media entry's own members`);
      assert.ok(inOrder(keys.slice(0, -1), MEDIA_ENTRY_MEMBERS), `${what} keys in Kaltura's order: ${keys.join(',')}`);
    }
  } finally {
    await sandbox.close();
  }
});
