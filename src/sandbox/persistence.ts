// Optional persistence of the sandbox state (partners, templates, entries, categories, app tokens, counters) as one JSON
// file in dataDir. Written atomically (temp file + rename) with mode 0600 because it holds local secrets.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const stateSchema = z.object({
  version: z.literal(1),
  partners: z.array(z.object({ partnerId: z.number(), adminSecret: z.string(), secret: z.string(), features: z.array(z.string()) })),
  templates: z.array(
    z.object({
      id: z.number(),
      partnerId: z.number(),
      type: z.string(),
      status: z.number(),
      createdAt: z.number(),
      updatedAt: z.number(),
      props: z.record(z.string(), z.unknown()),
    }),
  ),
  entries: z.array(z.looseObject({ id: z.string(), partnerId: z.number(), name: z.string(), status: z.number() })),
  appTokens: z.array(z.looseObject({ id: z.string(), token: z.string(), partnerId: z.number() })),
  nextJobId: z.number(),
  // Added after the first release of the format: older files have none.
  categories: z.array(z.looseObject({ id: z.number(), partnerId: z.number(), name: z.string(), fullName: z.string(), status: z.number() })).optional(),
  categoryEntries: z.array(z.looseObject({ categoryId: z.number(), entryId: z.string(), partnerId: z.number(), status: z.number() })).optional(),
});

export type PersistedState = z.infer<typeof stateSchema>;

export function stateFile(dataDir: string): string {
  return join(dataDir, 'sandbox.json');
}

/** Reads the state; undefined when there is none yet. A corrupt file is an error naming the file and the fix. */
export async function loadState(dataDir: string): Promise<PersistedState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${stateFile(dataDir)} is not valid JSON (${err instanceof Error ? err.message : String(err)}); delete it to start fresh`);
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${stateFile(dataDir)} does not look like sandbox state (${parsed.error.issues[0]?.message}); delete it to start fresh`);
  }
  return parsed.data;
}

export async function saveState(dataDir: string, state: PersistedState): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const target = stateFile(dataDir);
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state, null, 1), { mode: 0o600 });
  await rename(temp, target);
}
