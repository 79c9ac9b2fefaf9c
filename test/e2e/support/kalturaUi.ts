// Steps of the Kaltura Webhooks UI shared by the e2e suites, built on the generic Workbench helpers.
// Command titles are the ones contributed in package.json (category "Kaltura Webhooks").
import type { Frame, Locator } from 'playwright-core';
import type { Workbench } from './workbench';

export const CATEGORY = 'Kaltura Webhooks';
export const cmd = (title: string): string => `${CATEGORY}: ${title}`;

/** The output channel's file in code-server's log folder. */
export const OUTPUT_LOG = /Kaltura Webhooks\.log$/;

/**
 * Runs "Start Receiver" and resolves with the receiver's local base URL, read from the extension's
 * output channel ("receiver listening on http://127.0.0.1:PORT").
 */
export async function startReceiver(wb: Workbench, timeout = 60_000): Promise<string> {
  await wb.runCommand(cmd('Start Receiver'));
  const m = await wb.waitForLog(/receiver listening on (http:\/\/127\.0\.0\.1:\d+)/, { pathPattern: OUTPUT_LOG, timeout });
  return m[1]!;
}

/** Waits for an event row in the Events view whose text matches. */
export async function waitForEvent(wb: Workbench, text: string | RegExp, timeout = 30_000): Promise<Locator> {
  await wb.openViewContainer(CATEGORY);
  await wb.expandView('Events');
  return wb.waitForTreeItem('Events', text, timeout);
}

/** Opens an event in the payload inspector (clicking the row runs "Open in Payload Inspector"). */
export async function openInInspector(wb: Workbench, row: Locator): Promise<Frame> {
  // A click that lands while the tree re-renders the row (a new event, a forward result) selects nothing; the
  // inspector opens on the row's command, so the click is repeated until a webview shows the event.
  let frame: Frame | undefined;
  for (let attempt = 1; !frame; attempt++) {
    await row.click();
    try {
      frame = await wb.webviewFrame('#inspector[data-event-id]', attempt < 3 ? 10_000 : 30_000);
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
  await frame.locator('#verification-status').waitFor({ state: 'visible', timeout: 15_000 });
  return frame;
}
