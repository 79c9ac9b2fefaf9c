// Issue 15, item 13: in the high contrast themes the inspector's tab icon stays visible and its buttons keep their
// outlines. Dark High Contrast is the theme where both were lost: a currentColor icon drawn black, buttons without
// a border on a black background.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openInInspector, startReceiver, waitForEvent } from './support/kalturaUi';
import { e2eSkip } from './support/prerequisites';
import { withWorkbench } from './support/workbench';

test('Dark High Contrast: the inspector tab icon is the light-stroked one and every button has a visible outline', { timeout: 120_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);
  await withWorkbench({ suite: 'high-contrast', settings: { 'workbench.colorTheme': 'Default High Contrast' } }, async (wb) => {
    const receiverUrl = await startReceiver(wb);
    const res = await fetch(`${receiverUrl}/hc-check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"theme":"hc"}' });
    assert.equal(res.status, 200);
    const frame = await openInInspector(wb, await waitForEvent(wb, /unsigned/));
    assert.ok(await wb.page.locator('body.hc-black, .monaco-workbench.hc-black').count(), 'the workbench runs the dark high contrast theme');

    // The tab icon: VS Code draws it as a background image (1.100: the label's ::before), from a rule per theme kind; in a dark or
    // high contrast theme it must be the light-stroked variant.
    const icon = (await wb.page.evaluate(`(() => {
      const tab = [...document.querySelectorAll('.tabs-container .tab')].find((t) => /Inspector:/.test(t.textContent || ''));
      if (!tab) return 'no tab: ' + [...document.querySelectorAll('.tabs-container .tab')].map((t) => t.textContent).join(' | ');
      for (const el of [tab, ...tab.querySelectorAll('*')]) {
        for (const pseudo of ['::before', '']) {
          const image = getComputedStyle(el, pseudo || null).backgroundImage;
          if (image && image.includes('url(')) return image;
        }
      }
      return 'none: ' + tab.innerHTML.slice(0, 1500);
    })()`)) as string;
    assert.match(icon, /inspector-dark\.svg/, `tab icon: ${icon}`);

    const styles = (await frame.evaluate(`[...document.querySelectorAll('#actions button')].map((b) => {
      const s = getComputedStyle(b);
      return { text: b.textContent, style: s.borderTopStyle, width: s.borderTopWidth, color: s.borderTopColor };
    })`)) as Array<{ text: string; style: string; width: string; color: string }>;
    assert.ok(styles.length >= 3, `buttons: ${JSON.stringify(styles)}`);
    for (const s of styles) {
      assert.equal(s.style, 'solid', `${s.text} has a solid border`);
      assert.notEqual(s.width, '0px', `${s.text} border width`);
      assert.doesNotMatch(s.color, /rgba\(0, 0, 0, 0\)|transparent/, `${s.text} border is visible: ${s.color}`);
    }
    await wb.shot('inspector-dark-high-contrast');
  });
});
