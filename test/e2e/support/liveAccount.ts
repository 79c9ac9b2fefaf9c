// A "live" Kaltura account for e2e suites: a sandbox the test starts itself (so the admin secret is known and
// unique to the run), connected through the UI the way a user does it ("Connect Kaltura Account…").
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { OUTPUT_LOG, cmd } from './kalturaUi';
import type { Workbench } from './workbench';

/** A free loopback port (for settings that need a fixed receiver port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface LiveAccount {
  partnerId: number;
  serviceUrl: string;
  adminSecret: string;
}

/** Connects the account through the palette; the secret goes into a password box. */
export async function connectLiveAccount(wb: Workbench, account: LiveAccount): Promise<void> {
  await wb.runCommand(cmd('Connect Kaltura Account…'));
  await wb.pick(/Live account with the admin secret/);
  await wb.typeInput(String(account.partnerId), /partner id/i);
  await wb.typeInput(account.serviceUrl, /service URL/i);
  await wb.quickInput.getByText(/Admin secret of partner/).waitFor({ state: 'visible' });
  const secretBox = wb.quickInput.locator('input.input');
  assert.equal(await secretBox.getAttribute('type'), 'password', 'the admin secret is typed into a password box');
  await secretBox.fill(account.adminSecret);
  await secretBox.press('Enter');
  await wb.waitForLog(new RegExp(`connected live account: partner ${account.partnerId}\\b`), { pathPattern: OUTPUT_LOG, timeout: 20_000 });
}
