// Categories and the entries assigned to them (KalturaCategory, KalturaCategoryEntry), with the rules of Kaltura's
// category and categoryEntry services: a name of 1 to 255 characters, unique under its parent; assigning needs an
// existing entry and category and fails when the entry is already there; removing sets the row DELETED. Changes
// report their columns as the peers name them (category_entry.STATUS), because template conditions test them.
import { errors } from './apiErrors';
import type { ApiObject } from './types';

/** KalturaCategoryStatus. */
export const CATEGORY_STATUS = { UPDATING: 1, ACTIVE: 2, DELETED: 3, PURGED: 4 } as const;
/** KalturaCategoryEntryStatus. */
export const CATEGORY_ENTRY_STATUS = { PENDING: 1, ACTIVE: 2, DELETED: 3, REJECTED: 4 } as const;

/** categoryPeer::MAX_CATEGORY_NAME. */
const MAX_NAME = 255;
/** categoryPeer::CATEGORY_SEPARATOR: full names and full ids are paths joined by it. */
const SEPARATOR = '>';

export interface SandboxCategory {
  id: number;
  partnerId: number;
  parentId: number;
  name: string;
  fullName: string;
  fullIds: string;
  depth: number;
  status: number;
  createdAt: number;
  updatedAt: number;
  description?: string;
  tags?: string;
  referenceId?: string;
}

export interface SandboxCategoryEntry {
  categoryId: number;
  entryId: string;
  partnerId: number;
  status: number;
  createdAt: number;
  updatedAt: number;
  categoryFullIds: string;
  creatorUserId?: string;
}

export interface CategoryInput {
  name?: string;
  parentId?: number;
  description?: string;
  tags?: string;
  referenceId?: string;
}

export interface ObjectChange<T> {
  object: T;
  modifiedColumns: string[];
}

const now = (): number => Math.floor(Date.now() / 1000);
const linkKey = (categoryId: number, entryId: string): string => `${categoryId}:${entryId}`;

export class CategoryStore {
  readonly categories = new Map<number, SandboxCategory>();
  readonly links = new Map<string, SandboxCategoryEntry>();
  private nextId = 1000001;

  /** A category of the partner that is not deleted; CATEGORY_NOT_FOUND otherwise, as category.get says. */
  get(partnerId: number, id: number): SandboxCategory {
    const category = this.categories.get(id);
    if (!category || category.partnerId !== partnerId || category.status === CATEGORY_STATUS.DELETED) throw errors.categoryNotFound(id);
    return category;
  }

  list(partnerId: number): SandboxCategory[] {
    return [...this.categories.values()].filter((c) => c.partnerId === partnerId && c.status !== CATEGORY_STATUS.DELETED).sort((a, b) => a.id - b.id);
  }

  add(partnerId: number, input: CategoryInput): ObjectChange<SandboxCategory> {
    const name = input.name ?? '';
    if (name.length < 1) throw errors.minLength('name', 1);
    if (name.length > MAX_NAME) throw errors.maxLength('name', MAX_NAME);
    let parent: SandboxCategory | undefined;
    if (input.parentId) {
      parent = this.categories.get(input.parentId);
      if (!parent || parent.partnerId !== partnerId || parent.status === CATEGORY_STATUS.DELETED) throw errors.parentCategoryNotFound(input.parentId);
    }
    const fullName = parent ? `${parent.fullName}${SEPARATOR}${name}` : name;
    if (this.list(partnerId).some((c) => c.fullName === fullName)) throw errors.duplicateCategory(fullName);
    const id = this.nextId++;
    const at = now();
    const category: SandboxCategory = {
      id,
      partnerId,
      parentId: parent?.id ?? 0,
      name,
      fullName,
      fullIds: parent ? `${parent.fullIds}${SEPARATOR}${id}` : String(id),
      depth: parent ? parent.depth + 1 : 0,
      status: CATEGORY_STATUS.ACTIVE,
      createdAt: at,
      updatedAt: at,
      ...(input.description !== undefined && { description: input.description }),
      ...(input.tags !== undefined && { tags: input.tags }),
      ...(input.referenceId !== undefined && { referenceId: input.referenceId }),
    };
    this.categories.set(id, category);
    return { object: category, modifiedColumns: ['category.NAME', 'category.FULL_NAME', 'category.STATUS'] };
  }

  /** Marks the category DELETED; its assignments are returned so the caller can remove them (Kaltura does it in a batch job). */
  delete(partnerId: number, id: number): { category: ObjectChange<SandboxCategory>; assigned: SandboxCategoryEntry[] } {
    const category = this.get(partnerId, id);
    if (this.list(partnerId).some((c) => c.parentId === id)) {
      // Kaltura moves or deletes sub-categories in a batch job; the sandbox keeps the tree simple instead.
      throw errors.invalidParameter('id', `category ${id} has sub-categories; delete them first`);
    }
    category.status = CATEGORY_STATUS.DELETED;
    category.updatedAt = now();
    const assigned = [...this.links.values()].filter((l) => l.categoryId === id && l.status === CATEGORY_ENTRY_STATUS.ACTIVE);
    return { category: { object: category, modifiedColumns: ['category.STATUS', 'category.DELETED_AT'] }, assigned };
  }

  /** An entry's assignment to a category (categoryEntry.add); `entryExists` says whether the partner has the entry. */
  assign(partnerId: number, entryId: string, categoryId: number, entryExists: boolean, creatorUserId?: string): ObjectChange<SandboxCategoryEntry> {
    if (!entryExists) throw errors.invalidEntryId(entryId);
    const category = this.get(partnerId, categoryId);
    const existing = this.links.get(linkKey(categoryId, entryId));
    if (existing && existing.status !== CATEGORY_ENTRY_STATUS.DELETED) throw errors.categoryEntryAlreadyExists();
    const at = now();
    const link: SandboxCategoryEntry = {
      categoryId,
      entryId,
      partnerId,
      status: CATEGORY_ENTRY_STATUS.ACTIVE,
      createdAt: at,
      updatedAt: at,
      categoryFullIds: category.fullIds,
      ...(creatorUserId ? { creatorUserId } : {}),
    };
    this.links.set(linkKey(categoryId, entryId), link);
    return { object: link, modifiedColumns: ['category_entry.CATEGORY_ID', 'category_entry.ENTRY_ID', 'category_entry.STATUS'] };
  }

  /** categoryEntry.delete: the row stays, DELETED. */
  unassign(partnerId: number, entryId: string, categoryId: number): ObjectChange<SandboxCategoryEntry> {
    const link = this.links.get(linkKey(categoryId, entryId));
    if (!link || link.partnerId !== partnerId || link.status === CATEGORY_ENTRY_STATUS.DELETED) throw errors.entryNotAssignedToCategory();
    link.status = CATEGORY_ENTRY_STATUS.DELETED;
    link.updatedAt = now();
    return { object: link, modifiedColumns: ['category_entry.STATUS', 'category_entry.UPDATED_AT'] };
  }

  /** categoryEntry.list needs an entry or a category to filter on (MUST_FILTER_ON_ENTRY_OR_CATEGORY). */
  assignments(partnerId: number, filter: { entryId?: string; categoryId?: number }): SandboxCategoryEntry[] {
    if (!filter.entryId && !filter.categoryId) throw errors.mustFilterOnEntryOrCategory();
    return [...this.links.values()].filter(
      (l) =>
        l.partnerId === partnerId &&
        l.status !== CATEGORY_ENTRY_STATUS.DELETED &&
        (filter.entryId === undefined || l.entryId === filter.entryId) &&
        (filter.categoryId === undefined || l.categoryId === filter.categoryId),
    );
  }

  /** The entry's `categories` column: the full names of the categories it is in, comma-separated. */
  entryCategories(partnerId: number, entryId: string): string {
    return this.assignments(partnerId, { entryId })
      .map((l) => this.categories.get(l.categoryId)?.fullName)
      .filter((n): n is string => n !== undefined)
      .join(',');
  }

  /** KalturaCategory as the API serializes it: members in class order, nulls omitted. */
  toApiObject(c: SandboxCategory): ApiObject {
    const entriesCount = [...this.links.values()].filter((l) => l.categoryId === c.id && l.status === CATEGORY_ENTRY_STATUS.ACTIVE).length;
    const subCategories = this.list(c.partnerId).filter((s) => s.parentId === c.id).length;
    return categoryToApiObject(c, entriesCount, subCategories);
  }

  load(state: { categories?: SandboxCategory[]; categoryEntries?: SandboxCategoryEntry[] }): void {
    for (const c of state.categories ?? []) {
      this.categories.set(c.id, c);
      this.nextId = Math.max(this.nextId, c.id + 1);
    }
    for (const l of state.categoryEntries ?? []) this.links.set(linkKey(l.categoryId, l.entryId), l);
  }
}

const defined = (o: ApiObject): ApiObject => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ApiObject;

function categoryToApiObject(c: SandboxCategory, entriesCount: number, subCategories: number): ApiObject {
  return defined({
    id: c.id,
    parentId: c.parentId,
    depth: c.depth,
    partnerId: c.partnerId,
    name: c.name,
    fullName: c.fullName,
    fullIds: c.fullIds,
    entriesCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    description: c.description,
    tags: c.tags,
    appearInList: 1,
    privacy: 1,
    inheritanceType: 2,
    defaultPermissionLevel: 3,
    directEntriesCount: entriesCount,
    referenceId: c.referenceId,
    contributionPolicy: 1,
    membersCount: 0,
    pendingMembersCount: 0,
    status: c.status,
    partnerSortValue: 0,
    defaultOrderBy: '-createdAt',
    directSubCategoriesCount: subCategories,
    moderation: 0,
    pendingEntriesCount: 0,
    isAggregationCategory: false,
    objectType: 'KalturaCategory',
  });
}

/** KalturaCategoryEntry as the API serializes it. */
export function categoryEntryToApiObject(l: SandboxCategoryEntry): ApiObject {
  return defined({
    categoryId: l.categoryId,
    entryId: l.entryId,
    createdAt: l.createdAt,
    categoryFullIds: l.categoryFullIds,
    status: l.status,
    creatorUserId: l.creatorUserId,
    objectType: 'KalturaCategoryEntry',
  });
}
