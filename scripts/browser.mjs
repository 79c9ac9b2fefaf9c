// Where a Chrome-family browser is, for the end-to-end suite (playwright-core drives it; nothing is downloaded).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The first Chrome-family browser installed here (KWH_CHROMIUM_PATH wins), or null. */
export function findBrowser() {
  if (process.env.KWH_CHROMIUM_PATH) return existsSync(process.env.KWH_CHROMIUM_PATH) ? process.env.KWH_CHROMIUM_PATH : null;
  const candidates =
    process.platform === 'darwin'
      ? ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge', '/Applications/Chromium.app/Contents/MacOS/Chromium']
      : process.platform === 'win32'
        ? [
            join(process.env['PROGRAMFILES'] ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'),
            join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
          ]
        : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge'];
  return candidates.find((p) => existsSync(p)) ?? null;
}

