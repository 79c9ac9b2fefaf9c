// Writes generated files under a folder. Refuses to overwrite unless asked, so a re-run never clobbers the user's edits.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CodegenError, type GeneratedFiles } from './types';

export interface WriteOptions {
  overwrite?: boolean;
}

/**
 * The segments of a generated file's path, checked to stay inside the output folder: relative, `/`-separated, no
 * `..`, no empty segment and no backslash. Anything else throws, so nothing is ever written outside the folder.
 */
export function generatedPathParts(path: string): string[] {
  const parts = path.split('/');
  if (isAbsolute(path) || parts.some((p) => p === '..' || p === '' || p.includes('\\'))) {
    throw new CodegenError(`refusing to write "${path}": generated paths must stay inside the output folder`);
  }
  return parts;
}

/** Returns the absolute paths written, entry first. */
export function writeGeneratedFiles(outDir: string, generated: GeneratedFiles, options: WriteOptions = {}): string[] {
  const targets = generated.files.map((file) => ({
    path: join(outDir, ...generatedPathParts(file.path)),
    contents: file.contents,
    entry: file.path === generated.entry,
  }));
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
