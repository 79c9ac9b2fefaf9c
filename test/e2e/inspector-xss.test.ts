// Hardening: a request whose path, header names, header values, JSON keys and JSON values carry HTML, JS
// and CSS injection renders as plain text in the payload inspector (a webview in Chromium), and nothing
// in it runs. A positive control at the end proves the detectors would have caught a real injection.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { cmd, openInInspector, startReceiver, waitForEvent } from './support/kalturaUi';
import { e2eSkip } from './support/prerequisites';
import { log, withWorkbench, type Workbench } from './support/workbench';

const HOOK = "window.__kwhPwned=1;document.body.setAttribute('data-pwned','1')";

const injected = {
  path: `/kwh-xss/<script>${HOOK}</script>?q=<img/src=x/onerror=${HOOK.replace(/ /g, '')}>`,
  // Header names must be RFC 7230 tokens, so they carry entity-style injection: innerHTML would turn
  // "&lt" into "<" and "&amp" into "&".
  headerName: "X-Kwh-&lt&amp'`|~",
  headerNameValue: 'name-injection',
  headers: {
    'X-Kwh-Script': `<script>${HOOK}</script>`,
    'X-Kwh-Img': `<img src=x onerror="${HOOK}">`,
    'X-Kwh-Css': '<style>#inspector{display:none!important}body{background:red!important}</style>',
    'X-Kwh-Attr': `"><svg onload="${HOOK}"></svg>`,
  } as Record<string, string>,
  body: {
    [`<script>${HOOK}</script>`]: `<img src=x onerror="${HOOK}">`,
    style: '<style>#inspector{display:none!important}</style><link rel=stylesheet href=//127.0.0.1:9/x.css>',
    nested: { [`"><svg onload="${HOOK}">`]: [`</pre><iframe srcdoc="<script>${HOOK}</script>"></iframe>`, '{{7*7}} ${7*7}'] },
  },
};

function post(receiverUrl: string, bodyText: string): Promise<number> {
  const url = new URL(receiverUrl);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: injected.path, // sent as is: the receiver must show exactly this
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(bodyText),
        ...injected.headers,
        [injected.headerName]: injected.headerNameValue,
      },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(bodyText);
  });
}

/** Everything that would show that markup from the payload became DOM or ran. */
// Runs inside the webview's document (a string: the test tsconfig has no DOM types).
const FRAME_CHECKS = `(() => {
  const found = [];
  const root = document.getElementById('inspector');
  if (!root) return ['#inspector missing'];
  const tags = root.querySelectorAll('script, img, svg, iframe, style, link, object, embed, video, audio, form, base, meta');
  if (tags.length) found.push('elements from the payload: ' + [...tags].map((t) => t.tagName.toLowerCase()).join(', '));
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      if (/^on/i.test(attr) || attr === 'style' || attr === 'srcdoc') found.push('attribute ' + attr + ' on <' + el.tagName.toLowerCase() + '>');
    }
  }
  if (window.__kwhPwned !== undefined) found.push('window.__kwhPwned was set in the webview');
  if (document.body.hasAttribute('data-pwned')) found.push('body[data-pwned] set in the webview');
  if (getComputedStyle(root).display === 'none') found.push('#inspector hidden by injected CSS');
  if (getComputedStyle(document.body).backgroundColor === 'rgb(255, 0, 0)') found.push('body background changed by injected CSS');
  return found;
})()`;

const PAGE_CHECKS = `(() => {
  const found = [];
  if (window.__kwhPwned !== undefined) found.push('window.__kwhPwned was set in the workbench');
  if (document.querySelector('[data-pwned]')) found.push('[data-pwned] in the workbench');
  if (document.querySelector('img[src="x"], .monaco-workbench svg[onload]')) found.push('payload element rendered in the workbench');
  return found;
})()`;

/** Everything that would show that markup from the payload became DOM or ran. */
async function injectionFindings(wb: Workbench, frame: Frame): Promise<string[]> {
  const inFrame = (await frame.evaluate(FRAME_CHECKS)) as string[];
  const inPage = (await wb.page.evaluate(PAGE_CHECKS)) as string[];
  const csp = wb.consoleMessages.filter((m) => /Content Security Policy|Refused to (execute|load|apply)/i.test(m));
  return [...inFrame, ...inPage, ...csp.map((m) => `console: ${m}`)];
}

test('inspector renders injected HTML/JS/CSS in path, headers, keys and values as text; nothing runs', { timeout: 240_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  await withWorkbench({ suite: 'xss' }, async (wb) => {
    const receiverUrl = await startReceiver(wb);
    log(`receiver at ${receiverUrl}`);
    await wb.shot('receiver-started');

    const bodyText = JSON.stringify(injected.body);
    const status = await post(receiverUrl, bodyText);
    assert.equal(status, 200, 'the receiver accepts the request (default response mode ok)');

    const row = await waitForEvent(wb, /unsigned/);
    await wb.shot('event-in-tree');
    const frame = await openInInspector(wb, row);
    await frame.locator('#raw-body').waitFor({ state: 'visible' });
    await wb.shot('inspector-shows-payload-as-text');

    // Everything shows up literally, as text.
    assert.equal(await frame.locator('#raw-body').textContent(), bodyText, 'raw body is shown byte for byte');
    const requestLine = (await frame.locator('#request-line').textContent()) ?? '';
    assert.ok(requestLine.includes(injected.path), `request line shows the path as sent: ${requestLine}`);
    const headersText = (await frame.locator('#headers').textContent()) ?? '';
    for (const value of Object.values(injected.headers)) assert.ok(headersText.includes(value), `header value shown as text: ${value}`);
    assert.ok(headersText.toLowerCase().includes(injected.headerName.toLowerCase()), `header name shown as text (entities not decoded): ${injected.headerName}`);
    const decodedText = (await frame.locator('#decoded-body').textContent()) ?? '';
    for (const key of [...Object.keys(injected.body), ...Object.keys(injected.body.nested)]) {
      assert.ok(decodedText.includes(key), `JSON key shown as text: ${key}`);
    }
    assert.ok(decodedText.includes(injected.body.style), 'JSON value shown as text');
    assert.ok(decodedText.includes('{{7*7}} ${7*7}'), 'template syntax is not evaluated');

    // Nothing became DOM, nothing ran, no CSP had to block anything.
    await wb.page.waitForTimeout(1000); // let any (wrongly) injected handler fire
    const findings = await injectionFindings(wb, frame);
    assert.deepEqual(findings, [], `no injection effects: ${findings.join('\n')}`);

    await frame.locator('#raw-section').scrollIntoViewIfNeeded();
    await wb.shot('inspector-decoded-and-raw-body');

    // Positive control: a real injection into this webview is caught by the same detectors.
    await frame.evaluate(`document.getElementById('inspector').insertAdjacentHTML('beforeend', ${JSON.stringify(`<img src=x onerror="${HOOK}">`)})`);
    await wb.page.waitForTimeout(1000);
    const control = await injectionFindings(wb, frame);
    assert.ok(control.some((f) => f.startsWith('elements from the payload')), `control: injected <img> detected (${control.join('; ')})`);
    assert.ok(control.some((f) => f.startsWith('attribute onerror')), 'control: inline handler attribute detected');
    assert.ok(control.some((f) => f.startsWith('console:')), 'control: the CSP violation from the webview reaches the console listener');
    log(`positive control findings: ${control.join(' | ')}`);
    await wb.runCommand(cmd('Stop Receiver'));
  });
});
