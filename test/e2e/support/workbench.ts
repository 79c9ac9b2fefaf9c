// One e2e session: a fresh code-server (temp user-data, extensions and workspace folders) with the VSIX
// installed, opened in headless Chromium through playwright-core. Helpers drive the UI the way a user
// does (command palette, tree items, quick picks, webviews) and take a numbered screenshot per step.
// close() tears everything down (browser, code-server's process group, temp folders) and is safe to
// call twice; a process 'exit' hook kills what is left if a test dies half-way.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Frame, type Locator, type Page } from 'playwright-core';
import { codeServerRelease, installVsix, startCodeServer, writeUserSettings, type RunningCodeServer } from '../../../scripts/codeServer.mjs';
import { ensureVsix, repoRoot } from './extensionPackage';
import { CHROMIUM_PATH } from './prerequisites';

export const screenshotRoot = join(repoRoot, 'test-output', 'e2e');
/** The README's pictures (see Workbench.shot). */
export const README_SHOTS = join(repoRoot, 'media', 'screenshots');

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string };
/** publisher.name, as VS Code identifies the extension in its logs. */
export const extensionId = `${manifest.publisher}.${manifest.name}`;

/** Every file under `dir`, recursively. */
export function listFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    const full = join(dir, name);
    let st;
    try { st = statSync(full); } catch { continue; }
    out = st.isDirectory() ? out.concat(listFiles(full)) : out.concat(full);
  }
  return out;
}

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export interface WorkbenchOptions {
  /** Names the screenshot folder: test-output/e2e/<suite>/<nn>-<step>.png */
  suite: string;
  /** Extra user settings merged over the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Files to create in the workspace folder (relative path → content). */
  workspaceFiles?: Record<string, string>;
  /** Environment for code-server and its extension host. */
  env?: Record<string, string>;
  /**
   * Folders of an earlier session to open again (user data, global storage, workspace survive), e.g. after
   * killing that session's code-server, to test what a restart finds. Default: fresh temp folders.
   */
  reuseDirs?: SessionDirs;
}

export interface SessionDirs {
  root: string;
  userData: string;
  extensions: string;
  workspace: string;
  browserProfile: string;
}

const liveSessions = new Set<Workbench>();
process.once('exit', () => {
  for (const wb of liveSessions) wb.killNow();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const wb of liveSessions) wb.killNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

export function log(message: string): void {
  process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export class Workbench {
  readonly page: Page;
  readonly consoleMessages: string[] = [];
  private shotCount = 0;
  private closed = false;

  private constructor(
    readonly options: WorkbenchOptions,
    readonly dirs: SessionDirs,
    readonly codeServer: RunningCodeServer,
    readonly browser: Browser,
    readonly context: BrowserContext,
    page: Page,
    readonly shotDir: string,
  ) {
    this.page = page;
  }

  /** Packages (if needed), installs and opens the extension in a fresh code-server + Chromium. */
  static async open(options: WorkbenchOptions): Promise<Workbench> {
    const vsix = ensureVsix();
    const root = options.reuseDirs?.root ?? mkdtempSync(join(tmpdir(), `kwh-e2e-${options.suite}-`));
    const dirs: SessionDirs = options.reuseDirs ?? {
      root,
      userData: join(root, 'user-data'),
      extensions: join(root, 'extensions'),
      workspace: join(root, 'workspace'),
      browserProfile: join(root, 'browser-profile'),
    };
    for (const d of [dirs.userData, dirs.extensions, dirs.workspace, dirs.browserProfile]) mkdirSync(d, { recursive: true });
    for (const [rel, content] of Object.entries(options.workspaceFiles ?? {})) {
      const file = join(dirs.workspace, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    // Header actions always visible, so title-bar buttons of views can be clicked without hovering first.
    writeUserSettings(dirs.userData, { 'workbench.view.alwaysShowHeaderActions': true, ...(options.settings ?? {}) });
    const shotDir = join(screenshotRoot, options.suite);
    rmSync(shotDir, { recursive: true, force: true });
    mkdirSync(shotDir, { recursive: true });

    let codeServer: RunningCodeServer | undefined;
    let browser: Browser | undefined;
    try {
      const t0 = Date.now();
      installVsix(vsix, { userDataDir: dirs.userData, extensionsDir: dirs.extensions });
      log(`installed ${vsix} in ${Date.now() - t0} ms`);
      const t1 = Date.now();
      codeServer = await startCodeServer({
        port: 0,
        userDataDir: dirs.userData,
        extensionsDir: dirs.extensions,
        workspace: dirs.workspace,
        env: { ...(options.env ?? {}) },
        logFile: join(root, 'code-server.log'),
      });
      log(`code-server ready at ${codeServer.url} in ${Date.now() - t1} ms`);
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(codeServer.url).origin });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const wb = new Workbench(options, dirs, codeServer, browser, context, page, shotDir);
      liveSessions.add(wb);
      page.on('console', (m: ConsoleMessage) => wb.consoleMessages.push(`[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => wb.consoleMessages.push(`[pageerror] ${e.message}`));
      const folder = encodeURIComponent(dirs.workspace);
      await page.goto(`${codeServer.url}?folder=${folder}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await wb.waitForWorkbench();
      return wb;
    } catch (err) {
      await browser?.close().catch(() => undefined);
      await codeServer?.stop();
      throw err;
    }
  }

  private async waitForWorkbench(): Promise<void> {
    const t0 = Date.now();
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await this.page.locator('.part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
    // The explorer shows the workspace folder once the remote file system answers.
    await this.page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    // The command palette lists the commands known when it opens, so wait until the extension host has
    // registered our contributions (the view container appears in the activity bar).
    await this.activityBarItem('Kaltura Webhooks').waitFor({ state: 'visible', timeout: 60_000 });
    log(`workbench and extension contributions ready in ${Date.now() - t0} ms`);
  }

  /** Screenshot of the whole page into test-output/e2e/<suite>/<nn>-<step>.png; returns the path. */
  /**
   * A screenshot of this step in test-output/e2e/<suite>/. With `readme`, the README's picture of that name
   * (media/screenshots/<readme>.png) is this screenshot too, taken in the newest code-server, so the README shows
   * the extension as it is.
   */
  async shot(step: string, options: { readme?: string } = {}): Promise<string> {
    this.shotCount += 1;
    const name = `${String(this.shotCount).padStart(2, '0')}-${step.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`;
    const file = join(this.shotDir, name);
    const taken = await this.page.screenshot({ path: file, timeout: 15_000 }).then(
      () => true,
      (e: unknown) => (log(`screenshot ${name} failed: ${String(e)}`), false),
    );
    if (taken && options.readme && codeServerRelease().name === 'newest') {
      mkdirSync(README_SHOTS, { recursive: true });
      copyFileSync(file, join(README_SHOTS, `${options.readme}.png`));
    }
    return file;
  }

  // ---------- command palette and quick input ----------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens the command palette (F1), types the title and runs the matching command. */
  async runCommand(title: string): Promise<void> {
    const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactText(title) }) }).first();
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      await this.focusWorkbench();
      await this.page.keyboard.press('F1');
      const input = this.quickInput.locator('input.input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ state: 'visible', timeout: 10_000 });
        break;
      } catch (e) {
        // The palette snapshots the command list when it opens; reopen once in case it was stale.
        if (attempt < 2) continue;
        await this.shot(`command-not-found-${title}`);
        throw new Error(`Command "${title}" is not in the command palette: ${String(e)}`);
      }
    }
    await row.click();
  }

  /** Waits for a quick pick and chooses the item whose label matches. */
  async pick(label: string | RegExp, options: { timeout?: number } = {}): Promise<void> {
    const rows = this.quickInput.locator('.monaco-list-row');
    const row = rows.filter({ has: this.page.locator('.label-name', { hasText: typeof label === 'string' ? exactText(label) : label }) }).first();
    await row.waitFor({ state: 'visible', timeout: options.timeout ?? 20_000 }).catch(async (e: unknown) => {
      await this.shot('pick-not-found');
      const seen = await rows.allInnerTexts().catch(() => []);
      throw new Error(`Quick pick item ${String(label)} not found; items: ${JSON.stringify(seen)}: ${String(e)}`);
    });
    await row.click();
  }

  /** Labels of the items in the open quick pick. */
  async pickItems(): Promise<string[]> {
    await this.quickInput.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 20_000 });
    return this.quickInput.locator('.monaco-list-row .label-name').allInnerTexts();
  }

  /** Waits for an input box (optionally whose prompt matches), types the value and presses Enter. */
  async typeInput(value: string, prompt?: string | RegExp): Promise<void> {
    await this.quickInput.waitFor({ state: 'visible', timeout: 20_000 });
    if (prompt) await this.quickInput.getByText(prompt).first().waitFor({ state: 'visible', timeout: 20_000 });
    const input = this.quickInput.locator('input.input');
    await input.fill(value);
    await input.press('Enter');
  }

  async quickInputText(): Promise<string> {
    return this.quickInput.innerText();
  }

  async closeQuickInput(): Promise<void> {
    if (await this.quickInput.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    }
  }

  async focusWorkbench(): Promise<void> {
    // Keyboard shortcuts go to the focused frame; make sure it is the workbench, not a webview.
    // The sidebar's title label is inert: clicking it moves focus without triggering anything.
    await this.page.locator('.part.sidebar .composite.title .title-label').first().click({ timeout: 5000 }).catch(() => undefined);
  }

  // ---------- views ----------

  /** Shows a view container (e.g. "Kaltura Webhooks") in the side bar, clicking its activity bar entry if needed. */
  async openViewContainer(title: string): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    const sidebarTitle = this.page.locator('.part.sidebar .composite.title .title-label');
    const isShown = async () =>
      (await this.page.locator('.part.sidebar').isVisible().catch(() => false)) &&
      ((await sidebarTitle.first().textContent().catch(() => '')) ?? '').trim().toLowerCase() === title.toLowerCase();
    for (let attempt = 0; attempt < 4; attempt++) {
      if (await isShown()) return;
      // Clicking the selected entry would hide the side bar, so check first and re-check after a pause:
      // the extension may reveal its container by itself at the same moment.
      await this.page.waitForTimeout(attempt === 0 ? 0 : 500);
      if (await isShown()) return;
      // The <li> takes the click: the entry's badge (event count) sits on top of the icon.
      await item.locator('xpath=..').click();
      await this.page.waitForTimeout(300);
    }
    if (!(await isShown())) throw new Error(`The "${title}" view container did not open in the side bar`);
  }

  activityBarItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item .action-label[aria-label^="${cssString(title)}"]`).first();
  }

  /** The pane (header + body) of a view by its name, e.g. "Events". */
  viewPane(name: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${cssString(name)} Section"]`) }).first();
  }

  /** Expands the view's pane if it is collapsed. */
  async expandView(name: string): Promise<Locator> {
    const pane = this.viewPane(name);
    const header = pane.locator('.pane-header').first();
    await header.waitFor({ state: 'visible' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane;
  }

  treeItems(view: string): Locator {
    return this.viewPane(view).locator('.monaco-list-row[role="treeitem"]');
  }

  /** Waits for a tree item whose accessible label matches; returns it. */
  async waitForTreeItem(view: string, label: string | RegExp, timeout = 30_000): Promise<Locator> {
    const item = this.treeItems(view).filter({ hasText: label }).first();
    try {
      await item.waitFor({ state: 'visible', timeout });
    } catch (e) {
      const seen = await this.treeLabels(view).catch(() => []);
      throw new Error(`No tree item matching ${String(label)} in view "${view}"; items: ${JSON.stringify(seen)}: ${String(e)}`);
    }
    return item;
  }

  /** aria-label (falls back to visible text) of every rendered row of a view. */
  async treeLabels(view: string): Promise<string[]> {
    const rows = this.treeItems(view);
    const n = await rows.count();
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      out.push((await row.getAttribute('aria-label')) ?? (await row.innerText()));
    }
    return out;
  }

  /** Clicks a button in a view's title bar (e.g. "Register Webhook…" in Templates). */
  async viewTitleAction(view: string, title: string): Promise<void> {
    const pane = await this.expandView(view);
    const action = pane.locator(`.pane-header .actions .action-label[aria-label^="${cssString(title)}"]`).first();
    await action.waitFor({ state: 'visible', timeout: 15_000 });
    await action.click();
  }

  /** Right-clicks a tree item and chooses a context menu entry. */
  async contextMenu(item: Locator, entry: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    for (let attempt = 1; ; attempt++) {
      await item.click({ button: 'right' });
      const menuItem = menu.locator('.action-item', { hasText: exactText(entry) }).first();
      await menuItem.waitFor({ state: 'visible', timeout: 10_000 });
      await menuItem.hover();
      await menuItem.click();
      // A tree refresh while the menu opens can swallow the click: the menu then stays open.
      const closed = await menu.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false);
      if (closed) return;
      if (attempt >= 2) throw new Error(`Context menu entry "${entry}" did not run`);
      await this.page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
    }
  }

  /** Clicks an inline action (hover icon) of a tree item by its title. */
  async inlineAction(item: Locator, title: string): Promise<void> {
    await item.hover();
    const action = item.locator(`.actions .action-label[aria-label^="${cssString(title)}"]`).first();
    await action.click();
  }

  // ---------- notifications, output ----------

  /** Texts of the visible notification toasts (and the notification center when open). */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-list-item-message').allInnerTexts().catch(() => []);
  }

  /** Waits for a notification whose text matches; returns its text. */
  async waitForNotification(text: string | RegExp, timeout = 30_000): Promise<string> {
    const item = this.page.locator('.notification-list-item-message').filter({ hasText: text }).first();
    try {
      await item.waitFor({ state: 'visible', timeout });
    } catch (e) {
      // A toast VS Code has already hidden (it hides them after a while, sooner on a loaded machine) is still in the
      // notification center: the message was shown, so it counts.
      const inCenter = await this.notificationInCenter(text);
      if (inCenter !== undefined) return inCenter;
      throw new Error(`No notification matching ${String(text)}; visible: ${JSON.stringify(await this.notifications())}: ${String(e)}`);
    }
    return item.innerText();
  }

  /** The text of a notification in the notification center, or undefined; the center is closed again. */
  private async notificationInCenter(text: string | RegExp): Promise<string | undefined> {
    await this.runCommand('Notifications: Show Notifications').catch(() => undefined);
    const center = this.page.locator('.notifications-center');
    try {
      const item = center.locator('.notification-list-item-message').filter({ hasText: text }).first();
      await item.waitFor({ state: 'visible', timeout: 3000 });
      return await item.innerText();
    } catch {
      return undefined;
    } finally {
      if (await center.isVisible().catch(() => false)) await this.page.keyboard.press('Escape');
    }
  }

  async clearNotifications(): Promise<void> {
    const toasts = this.page.locator('.notification-toast');
    const n = await toasts.count().catch(() => 0);
    for (let i = 0; i < n; i++) {
      const close = toasts.nth(0).locator('.codicon-notifications-clear, .codicon-close').first();
      if (!(await close.isVisible().catch(() => false))) break;
      await close.click().catch(() => undefined);
    }
  }

  /** Text of the visible Output panel (whatever channel is selected). */
  async outputText(): Promise<string> {
    const editor = this.page.locator('.part.panel .output-view .view-lines, .part.panel .monaco-editor .view-lines').first();
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    return editor.innerText();
  }

  /**
   * Concatenated text of code-server's log files (extension host log, output channels) whose path
   * matches `pathPattern`. Output channels are written there too, so this reads the extension's log.
   */
  readLogs(pathPattern: RegExp = /./): string {
    return listFiles(join(this.dirs.userData, 'logs'))
      .filter((f) => pathPattern.test(f))
      .map((f) => { try { return readFileSync(f, 'utf8'); } catch { return ''; } })
      .join('\n');
  }

  /** Polls the logs until `pattern` appears; returns the first match. */
  async waitForLog(pattern: RegExp, options: { pathPattern?: RegExp; timeout?: number } = {}): Promise<RegExpExecArray> {
    const deadline = Date.now() + (options.timeout ?? 30_000);
    for (;;) {
      const m = pattern.exec(this.readLogs(options.pathPattern));
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`Log never matched ${String(pattern)} within ${options.timeout ?? 30_000} ms`);
      await delay(300);
    }
  }

  /** Resolves once the extension host log says our extension was activated. */
  async waitForActivation(timeout = 45_000): Promise<string> {
    const escaped = extensionId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = await this.waitForLog(new RegExp(`ExtensionService#_doActivateExtension ${escaped}[^\\n]*`), { pathPattern: /exthost\.log$/, timeout });
    return m[0];
  }

  // ---------- clipboard and editors ----------

  async readClipboard(): Promise<string> {
    return (await this.page.evaluate('navigator.clipboard.readText()')) as string;
  }

  async writeClipboard(text: string): Promise<void> {
    await this.page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
  }

  /** The active text editor (Monaco) in the editor area. */
  get activeEditor(): Locator {
    // With editors side by side, the one in the active group (a request document opens beside the inspector).
    return this.page.locator('.part.editor .editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Whole text of the active editor, copied through the clipboard (Monaco renders only visible lines). */
  async activeEditorText(): Promise<string> {
    const editor = this.activeEditor;
    await editor.waitFor({ state: 'visible', timeout: 20_000 });
    await editor.locator('.view-lines').click();
    await this.writeClipboard('');
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Control+C');
    return this.readClipboard();
  }

  /**
   * Replaces the active editor's content (pasted, so no auto-closing brackets interfere), and reads it back: an
   * editor that is still opening can drop the keys, and a test would then go on with the old text.
   */
  async replaceActiveEditorText(text: string): Promise<void> {
    const same = (a: string) => a.replace(/\s+/g, '') === text.replace(/\s+/g, '');
    let now = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const editor = this.activeEditor;
      await editor.locator('.view-lines').click();
      await this.writeClipboard(text);
      await this.page.keyboard.press('Control+A');
      await this.page.keyboard.press('Control+V');
      now = await this.activeEditorText();
      if (same(now)) return;
      await this.page.waitForTimeout(500);
    }
    throw new Error(`the active editor did not take the new text; it holds: ${now.slice(0, 300)}`);
  }

  async saveActiveEditor(): Promise<void> {
    await this.page.keyboard.press('Control+S');
  }

  // ---------- webviews ----------

  /**
   * The frame holding a webview's own document. code-server nests it twice: the editor's
   * `iframe.webview` hosts VS Code's shim page, whose `#active-frame` holds the extension's HTML.
   */
  async webviewFrame(contentSelector: string, timeout = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const outer of await this.page.locator('iframe.webview').elementHandles()) {
        const outerFrame = await outer.contentFrame();
        if (!outerFrame) continue;
        const inner = await outerFrame.$('#active-frame').catch(() => null);
        const innerFrame = await inner?.contentFrame();
        if (innerFrame && (await innerFrame.$(contentSelector).catch(() => null))) return innerFrame;
      }
      if (Date.now() > deadline) throw new Error(`No webview containing ${contentSelector} within ${timeout} ms`);
      await delay(250);
    }
  }

  // ---------- lifecycle ----------

  /** `keepDirs`: leave the session folders for a later `reuseDirs` session (the caller removes them). */
  async close(options: { keepDirs?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    liveSessions.delete(this);
    await this.context.close().catch(() => undefined);
    await this.browser.close().catch(() => undefined);
    await this.codeServer.stop();
    if (options.keepDirs) return;
    if (process.env.KWH_E2E_KEEP !== '1') rmSync(this.dirs.root, { recursive: true, force: true });
    else log(`kept session folder ${this.dirs.root}`);
  }

  /** Synchronous last resort from the process 'exit' hook. */
  killNow(): void {
    const pid = this.codeServer.process.pid;
    if (pid) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    const browserPid = (this.browser as unknown as { process?: () => { pid?: number } | null }).process?.()?.pid;
    if (browserPid) try { process.kill(browserPid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** Runs `fn` with a workbench and always closes it; on failure saves a final screenshot first. */
export async function withWorkbench<T>(options: WorkbenchOptions, fn: (wb: Workbench) => Promise<T>): Promise<T> {
  const wb = await Workbench.open(options);
  try {
    return await fn(wb);
  } catch (err) {
    await wb.shot('failure');
    log(`failure in ${options.suite}: ${err instanceof Error ? err.stack ?? err.message : String(err)}
last console lines:\n${wb.consoleMessages.slice(-15).join('\n')}`);
    throw err;
  } finally {
    await wb.close();
  }
}

export function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
