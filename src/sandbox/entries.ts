// Media entries of the sandbox and their API form (KalturaMediaEntry). Changes report which columns were
// modified, because templates such as "Entry Status Changed" test `in_array(entryPeer::STATUS, modifiedColumns)`.
import { kalturaMediaEntry } from '../protocol/mediaEntry';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ENTRY_STATUS, type ApiObject, type EntryInput, type SandboxEntry } from './types';

const now = (): number => Math.floor(Date.now() / 1000);

export const entryInputSchema = z.object({
  id: z.string().regex(/^[0-9]_[a-z0-9]{1,32}$/i, 'entry ids look like 0_abcd1234').optional(),
  name: z.string().max(256).optional(),
  description: z.string().optional(),
  status: z.number().int().min(-2).max(7).optional(),
  tags: z.string().optional(),
  mediaType: z.number().int().optional(),
  duration: z.number().int().min(0).optional(),
  userId: z.string().optional(),
  referenceId: z.string().optional(),
  categories: z.string().optional(),
  partnerId: z.number().int().positive().optional(),
});

/** Status names accepted wherever a status is typed by a person (CLI, admin endpoint). */
export function parseEntryStatus(value: string | number): number {
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  const named = (ENTRY_STATUS as Record<string, number>)[trimmed.toUpperCase()];
  if (named === undefined) {
    throw new Error(`unknown entry status "${value}"; use a number or one of ${Object.keys(ENTRY_STATUS).join(', ')}`);
  }
  return named;
}

/** entryPeer column names as the server's modified-columns list carries them. */
const COLUMN: Record<string, string> = {
  name: 'entry.NAME',
  description: 'entry.DESCRIPTION',
  status: 'entry.STATUS',
  tags: 'entry.TAGS',
  mediaType: 'entry.MEDIA_TYPE',
  duration: 'entry.LENGTH_IN_MSECS',
  userId: 'entry.PUSER_ID',
  referenceId: 'entry.REFERENCE_ID',
  categories: 'entry.CATEGORIES',
};

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Kaltura entry ids: `0_` + 8 lower-case alphanumerics. */
export function newEntryId(): string {
  return '0_' + Array.from(randomBytes(8), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

export interface EntryChange {
  entry: SandboxEntry;
  previous?: SandboxEntry;
  /** entryPeer column names, e.g. entry.STATUS. */
  modifiedColumns: string[];
}

export class EntryStore {
  readonly entries = new Map<string, SandboxEntry>();

  constructor(private readonly defaultPartnerId: number) {}

  list(partnerId?: number): SandboxEntry[] {
    return [...this.entries.values()].filter((e) => partnerId === undefined || e.partnerId === partnerId);
  }

  get(id: string): SandboxEntry | undefined {
    return this.entries.get(id);
  }

  add(input: EntryInput): EntryChange {
    const parsed = entryInputSchema.parse(input);
    const id = parsed.id ?? newEntryId();
    if (this.entries.has(id)) throw new Error(`entry ${id} already exists; update it or pick another id`);
    const at = now();
    const entry: SandboxEntry = {
      id,
      partnerId: parsed.partnerId ?? this.defaultPartnerId,
      name: parsed.name ?? 'Sandbox entry',
      status: parsed.status ?? ENTRY_STATUS.READY,
      type: 1,
      mediaType: parsed.mediaType ?? 1,
      version: 0,
      createdAt: at,
      updatedAt: at,
      ...(parsed.description !== undefined && { description: parsed.description }),
      ...(parsed.tags !== undefined && { tags: parsed.tags }),
      ...(parsed.duration !== undefined && { duration: parsed.duration }),
      ...(parsed.userId !== undefined && { userId: parsed.userId, creatorId: parsed.userId }),
      ...(parsed.referenceId !== undefined && { referenceId: parsed.referenceId }),
      ...(parsed.categories !== undefined && { categories: parsed.categories }),
    };
    this.entries.set(id, entry);
    return { entry, modifiedColumns: Object.keys(COLUMN).filter((k) => k in entry).map((k) => COLUMN[k]!) };
  }

  update(id: string, changes: EntryInput): EntryChange {
    const parsed = entryInputSchema.parse(changes);
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`entry ${id} not found; add it first (kwh sandbox entry add --id ${id})`);
    if (entry.status === ENTRY_STATUS.DELETED) throw new Error(`entry ${id} is deleted`);
    const previous = { ...entry };
    const modifiedColumns: string[] = [];
    for (const key of Object.keys(COLUMN) as Array<keyof typeof COLUMN & keyof EntryInput>) {
      const value = parsed[key as keyof typeof parsed];
      if (value === undefined || (entry as unknown as Record<string, unknown>)[key] === value) continue;
      (entry as unknown as Record<string, unknown>)[key] = value;
      modifiedColumns.push(COLUMN[key]!);
    }
    if (modifiedColumns.length > 0) entry.updatedAt = now();
    return { entry, previous, modifiedColumns };
  }

  /** Kaltura deletes by setting status DELETED; the row stays. */
  delete(id: string): EntryChange {
    const entry = this.entries.get(id);
    if (!entry || entry.status === ENTRY_STATUS.DELETED) throw new Error(`entry ${id} not found`);
    const previous = { ...entry };
    entry.status = ENTRY_STATUS.DELETED;
    entry.updatedAt = now();
    return { entry, previous, modifiedColumns: [COLUMN.status!] };
  }

  load(entries: SandboxEntry[]): void {
    for (const e of entries) this.entries.set(e.id, e);
  }
}

/** KalturaMediaEntry as the API serializes it (protocol/mediaEntry.ts: Kaltura's member order), nulls omitted. */
export function entryToApiObject(entry: SandboxEntry): ApiObject {
  return kalturaMediaEntry({
    id: entry.id,
    name: entry.name,
    description: entry.description,
    partnerId: entry.partnerId,
    userId: entry.userId,
    creatorId: entry.creatorId,
    tags: entry.tags,
    categories: entry.categories,
    status: entry.status,
    type: entry.type,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    searchText: `_PAR_ONLY_ _${entry.partnerId}_ _MEDIA_TYPE_${entry.mediaType}|  ${entry.name} ${entry.tags ?? ''}`.trimEnd(),
    version: entry.version,
    referenceId: entry.referenceId,
    rootEntryId: entry.id,
    duration: entry.duration,
    msDuration: entry.duration === undefined ? undefined : entry.duration * 1000,
    mediaType: entry.mediaType,
    searchProviderType: undefined,
  }) as ApiObject;
}
