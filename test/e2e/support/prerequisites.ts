// Decides whether the e2e suites can run here. Locally a missing browser or code-server skips with the
// reason; in CI (CI=true) the same gap fails the run, so a broken setup cannot pass as "skipped".
import { existsSync } from 'node:fs';
import { ensureCodeServer, isCodeServerInstalled, missingPrerequisites } from '../../../scripts/codeServer.mjs';

// @ts-expect-error: a plain .mjs script shared with npm test's prerequisite check; it has no type declarations
import { findBrowser } from '../../../scripts/browser.mjs';

export const CHROMIUM_PATH: string = (findBrowser() as string | null) ?? process.env.KWH_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const inCI = process.env.CI === 'true';

export interface E2eReadiness {
  /** Undefined when everything is there; otherwise why the suites cannot run. */
  skipReason?: string;
}

let cached: Promise<E2eReadiness> | undefined;

async function check(): Promise<E2eReadiness> {
  if (!existsSync(CHROMIUM_PATH)) {
    return { skipReason: `no Chrome-family browser found (looked for Chromium, Chrome and Edge). Fix: npm test installs one on Debian/Ubuntu (node scripts/prerequisites.mjs test), or set KWH_CHROMIUM_PATH.` };
  }
  if (!isCodeServerInstalled()) {
    if (process.env.KWH_E2E_NO_INSTALL === '1') {
      return { skipReason: 'code-server is not installed and KWH_E2E_NO_INSTALL=1. Fix: node scripts/codeServer.mjs install' };
    }
    const missing = missingPrerequisites();
    if (missing) return { skipReason: `code-server cannot be installed: missing ${missing}.` };
    try {
      // First use only: a few minutes; progress goes to stderr.
      await ensureCodeServer();
    } catch (err) {
      return { skipReason: `code-server install failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return {};
}

/**
 * Resolves to the node:test `skip` option: false when the suite can run, else the reason.
 * In CI a missing prerequisite throws instead.
 */
export async function e2eSkip(): Promise<string | false> {
  cached ??= check();
  const { skipReason } = await cached;
  if (!skipReason) return false;
  if (inCI) throw new Error(`e2e prerequisites missing in CI: ${skipReason}`);
  return skipReason;
}
