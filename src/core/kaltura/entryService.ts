// The few `media` actions the workbench uses to cause the events a template listens to, when Kaltura will not
// dispatch it by hand (kaltura-protocol.md §4.2): read an entry, change a harmless field, add a small entry from a
// URL, delete it again.
import { z } from 'zod';
import type { SessionProvider } from './session';
import { intLike } from './schemas';
import type { RequestOptions } from './templateService';

export const mediaEntrySchema = z.looseObject({
  id: z.string(),
  partnerId: intLike.optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  tags: z.string().optional(),
  status: intLike.optional(),
  mediaType: intLike.optional(),
});
export type MediaEntry = z.infer<typeof mediaEntrySchema>;

/** KalturaEntryStatus (kept in the protocol module: the sandbox uses the same values). */
export { ENTRY_STATUS as EntryStatus } from '../../protocol/names';

/** KalturaMediaType. */
export const MediaType = { VIDEO: 1, IMAGE: 2, AUDIO: 5 } as const;

export class MediaEntryService {
  constructor(readonly session: SessionProvider) {}

  get(entryId: string, options: RequestOptions = {}): Promise<MediaEntry> {
    return this.session.call('media', 'get', { entryId }, { schema: mediaEntrySchema, signal: options.signal });
  }

  /** Sends only the given members; Kaltura fires OBJECT_CHANGED for an entry only when one of them really changes. */
  update(entryId: string, changes: { tags?: string; description?: string; name?: string }, options: RequestOptions = {}): Promise<MediaEntry> {
    return this.session.call(
      'media',
      'update',
      { entryId, mediaEntry: { objectType: 'KalturaMediaEntry', ...changes } },
      { schema: mediaEntrySchema, signal: options.signal },
    );
  }

  /** A new entry whose content Kaltura imports from `url`: its status changes (IMPORT → … → READY) as it is processed. */
  addFromUrl(entry: { name: string; mediaType: number; description?: string; tags?: string }, url: string, options: RequestOptions = {}): Promise<MediaEntry> {
    return this.session.call(
      'media',
      'addFromUrl',
      { mediaEntry: { objectType: 'KalturaMediaEntry', ...entry }, url },
      { schema: mediaEntrySchema, signal: options.signal },
    );
  }

  async delete(entryId: string, options: RequestOptions = {}): Promise<void> {
    await this.session.call('media', 'delete', { entryId }, { signal: options.signal });
  }
}
