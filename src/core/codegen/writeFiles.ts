// Writes generated files under a folder. Refuses to overwrite unless asked, so a re-run never clobbers the user's edits.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { CodegenError, type GeneratedFiles } from './types';

export interface WriteOptions {
  overwrite?: boolean;
}

/** Returns the absolute paths written, entry first. */
export function writeGeneratedFiles(outDir: string, generated: GeneratedFiles, options: WriteOptions = {}): string[] {
  const targets = generated.files.map((file) => {
    const relative = normalize(file.path);
    if (isAbsolute(relative) || relative.split(sep).includes('..')) {
      throw new CodegenError(`refusing to write "${file.path}": generated paths must stay inside the output folder`);
    }
    return { path: join(outDir, relative), contents: file.contents, entry: file.path === generated.entry };
  });
  if (!options.overwrite) {
    const existing = targets.filter((t) => existsSync(t.path)).map((t) => t.path);
    if (existing.length > 0) {
      throw new CodegenError(`these files already exist: ${existing.join(', ')}; choose another folder or pass --force to overwrite`);
    }
  }
  for (const target of targets) {
    mkdirSync(dirname(target.path), { recursive: true });
    writeFileSync(target.path, target.contents);
  }
  return [...targets.filter((t) => t.entry), ...targets.filter((t) => !t.entry)].map((t) => t.path);
}
