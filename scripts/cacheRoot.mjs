// The cache folder for what the scripts install outside the repository (code-server builds, other Node releases).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function cacheRoot() {
  return resolve(process.env.KWH_CACHE_DIR || join(homedir(), '.cache', 'kaltura-webhook-workbench'));
}
