// Field-by-field validation with zod: one bad field becomes a problem that names it, the others still parse.
import type { z } from 'zod';

export function readFields<T>(value: Record<string, unknown>, shape: Record<string, z.ZodType>, problems: string[]): T {
  const out: Record<string, unknown> = { ...value };
  for (const [key, schema] of Object.entries(shape)) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const result = schema.safeParse(value[key]);
    if (result.success) out[key] = result.data;
    else {
      out[key] = undefined;
      const shown = (JSON.stringify(value[key]) ?? String(value[key])).slice(0, 60);
      problems.push(`field "${key}" has an unexpected value ${shown}: ${result.error.issues[0]?.message ?? 'invalid'}`);
    }
  }
  return out as T;
}
