// stub:drop Not generated (the types come from the captured payload, emitTypes.ts): a stand-in of that shape here.
import { z } from 'zod';

export const HoleRootSchema = z.object({ objectType: z.string() }).passthrough();
export type HoleRoot = z.infer<typeof HoleRootSchema>;
