// The `category` and `categoryEntry` actions the workbench uses to cause category events when Kaltura will not
// dispatch a template by hand: a category of its own, an entry assigned to it and removed again, the category deleted.
import { z } from 'zod';
import type { SessionProvider } from './session';
import { intLike } from './schemas';
import type { RequestOptions } from './templateService';

export const categorySchema = z.looseObject({
  id: intLike,
  name: z.string().optional(),
  fullName: z.string().optional(),
  status: intLike.optional(),
});
export type Category = z.infer<typeof categorySchema>;

export const categoryEntrySchema = z.looseObject({
  categoryId: intLike,
  entryId: z.string(),
  status: intLike.optional(),
});
export type CategoryEntry = z.infer<typeof categoryEntrySchema>;

export class CategoryService {
  constructor(readonly session: SessionProvider) {}

  add(category: { name: string; description?: string; tags?: string }, options: RequestOptions = {}): Promise<Category> {
    return this.session.call('category', 'add', { category: { objectType: 'KalturaCategory', ...category } }, { schema: categorySchema, signal: options.signal });
  }

  async delete(id: number, options: RequestOptions = {}): Promise<void> {
    await this.session.call('category', 'delete', { id }, { signal: options.signal });
  }

  /** Assigns the entry to the category (categoryEntry.add): OBJECT_ADDED of a categoryEntry, and a change of the entry. */
  addEntry(entryId: string, categoryId: number, options: RequestOptions = {}): Promise<CategoryEntry> {
    return this.session.call(
      'categoryEntry',
      'add',
      { categoryEntry: { objectType: 'KalturaCategoryEntry', entryId, categoryId } },
      { schema: categoryEntrySchema, signal: options.signal },
    );
  }

  /** Removes the assignment (categoryEntry.delete): OBJECT_DELETED of the categoryEntry. */
  async removeEntry(entryId: string, categoryId: number, options: RequestOptions = {}): Promise<void> {
    await this.session.call('categoryEntry', 'delete', { entryId, categoryId }, { signal: options.signal });
  }
}
