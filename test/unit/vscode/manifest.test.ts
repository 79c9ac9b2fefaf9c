// The contributed manifest and the code agree: every command id is contributed and registered, menus name real
// commands, activation is lazy, and the modules the webview and the unit tests load stay free of `vscode`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS, CONTEXT_KEYS, VIEWS } from '../../../src/vscode/commandIds';

interface Manifest {
  activationEvents?: string[];
  main: string;
  contributes: {
    commands: Array<{ command: string; title: string; category?: string; icon?: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    views: Record<string, Array<{ id: string }>>;
    viewsWelcome: Array<{ view: string }>;
    configuration: { properties: Record<string, unknown> };
    walkthroughs: Array<{ steps: Array<{ media: { markdown?: string } }> }>;
    viewsContainers?: Record<string, Array<{ id: string }>>;
  };
}

const raw = readFileSync('package.json', 'utf8');
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
// The manifest as VS Code shows it in English: every "%key%" replaced from package.nls.json.
const manifest = JSON.parse(raw, (_key, value: unknown) => (typeof value === 'string' && /^%[\w.-]+%$/.test(value) ? nls[value.slice(1, -1)] ?? value : value)) as Manifest;

test('the manifest is localizable: every user-facing string is a %key% of package.nls.json, and every key is used', () => {
  const referenced = new Set([...raw.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]!));
  assert.deepEqual([...referenced].filter((k) => !(k in nls)), [], 'keys missing from package.nls.json');
  assert.deepEqual(Object.keys(nls).filter((k) => !referenced.has(k)), [], 'keys of package.nls.json nothing uses');
  const plain: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (/\.(title|name|displayName|description|markdownDescription|contents|contextualTitle|category|altText|enumDescriptions\.\d+)$/.test(path) && !/^%[\w.-]+%$/.test(value)) plain.push(path);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}.${i}`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  };
  const parsed = JSON.parse(raw) as { displayName: string; description: string; contributes: unknown };
  walk(parsed.contributes, 'contributes');
  walk({ displayName: parsed.displayName, description: parsed.description }, '');
  assert.deepEqual(plain, [], 'strings a translation could not reach');
  assert.equal(manifest.contributes.commands.find((c) => c.command === COMMANDS.start)?.title, 'Start Receiver');
});

test('activation is lazy: no "*" and no startup activation', () => {
  for (const e of manifest.activationEvents ?? []) {
    assert.notEqual(e, '*');
    assert.notEqual(e, 'onStartupFinished');
  }
  assert.equal(manifest.main, './dist/extension.js');
});

test('every command id is contributed with a title, category and icon, and nothing extra is contributed', () => {
  const contributed = new Map(manifest.contributes.commands.map((c) => [c.command, c]));
  for (const id of Object.values(COMMANDS)) {
    const c = contributed.get(id);
    assert.ok(c, `${id} is contributed`);
    assert.ok(c.title.length > 3, `${id} has a title`);
    assert.equal(c.category, 'Kaltura Webhooks');
    assert.match(c.icon ?? '', /^\$\([a-z-]+\)$/, `${id} has a codicon`);
  }
  assert.deepEqual([...contributed.keys()].sort(), Object.values(COMMANDS).sort());
});

test('menus and welcome views refer to real commands and views', () => {
  const ids = new Set<string>(Object.values(COMMANDS));
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) assert.ok(ids.has(item.command), `${menu} names unknown command ${item.command}`);
  }
  const views: string[] = manifest.contributes.views[VIEWS.container]!.map((v) => v.id).sort();
  assert.deepEqual(views, [VIEWS.connection, VIEWS.events, VIEWS.templates].sort() as string[]);
  for (const w of manifest.contributes.viewsWelcome) assert.ok(views.includes(w.view), `welcome for unknown view ${w.view}`);
  const welcomeText = JSON.stringify(manifest.contributes.viewsWelcome);
  for (const m of welcomeText.matchAll(/command:([A-Za-z.]+)/g)) assert.ok(ids.has(m[1]!), `welcome link to unknown command ${m[1]}`);
});

test('settings live under kalturaWebhooks.* and hold no secrets', () => {
  const keys = Object.keys(manifest.contributes.configuration.properties);
  assert.ok(keys.length >= 15);
  for (const k of keys) {
    assert.match(k, /^kalturaWebhooks\./);
    assert.doesNotMatch(k, /secret$|password|token$/i, `${k} looks like a secret; secrets belong in SecretStorage`);
  }
  for (const k of ['port', 'tunnel.provider', 'tunnel.host', 'tunnel.subdomain', 'tunnel.publicUrl', 'responseMode', 'store.capacity', 'cleanupPolicy', 'forwardUrl', 'account.mode']) {
    assert.ok(keys.includes(`kalturaWebhooks.${k}`), `setting kalturaWebhooks.${k}`);
  }
});

test('walkthrough pages exist', () => {
  for (const step of manifest.contributes.walkthroughs[0]!.steps) {
    assert.ok(step.media.markdown, 'each step has a page');
    assert.ok(readFileSync(step.media.markdown, 'utf8').length > 100);
  }
});

test('modules shared with the webview and the unit tests do not import vscode', () => {
  for (const file of [
    'src/vscode/commandIds.ts',
    'src/vscode/settingsValues.ts',
    'src/vscode/disposable.ts',
    'src/vscode/views/refreshScheduler.ts',
    'src/vscode/coreAdapter.ts',
    'src/vscode/views/eventGrouping.ts',
    'src/vscode/inspector/protocol.ts',
    'src/vscode/inspector/viewModel.ts',
  ]) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /from ['"]vscode['"]|require\(['"]vscode['"]\)/, file);
  }
});

test('the inspector webview builds its DOM without innerHTML or eval', () => {
  const source = readFileSync('media/inspector/main.ts', 'utf8');
  const code = source.replace(/^\s*\/\/.*$/gm, ''); // comments may name what is avoided
  assert.doesNotMatch(code, /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
});

test('Restricted Mode is supported in part: workspace settings that send secrets or events elsewhere are restricted', () => {
  const raw = JSON.parse(readFileSync('package.json', 'utf8')) as {
    capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string; restrictedConfigurations?: string[] }; virtualWorkspaces?: { supported: unknown } };
    extensionKind?: string[];
    contributes: { commands: Array<{ command: string; enablement?: string }>; configuration: { properties: Record<string, unknown> } };
  };
  const untrusted = raw.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  assert.ok((untrusted?.description ?? '').length > 40, 'Restricted Mode says what it limits');
  for (const key of ['kalturaWebhooks.account.serviceUrl', 'kalturaWebhooks.forwardUrl', 'kalturaWebhooks.forward.auto', 'kalturaWebhooks.tunnel.host', 'kalturaWebhooks.tunnel.publicUrl']) {
    assert.ok(untrusted?.restrictedConfigurations?.includes(key), `${key} is restricted`);
  }
  for (const key of untrusted?.restrictedConfigurations ?? []) assert.ok(key in raw.contributes.configuration.properties, `${key} is a contributed setting`);
  assert.equal(raw.capabilities?.virtualWorkspaces?.supported, false);
  assert.deepEqual(raw.extensionKind, ['workspace'], 'the receiver runs where the app under test runs');
  assert.match(raw.contributes.commands.find((c) => c.command === 'kalturaWebhooks.generateHandler')?.enablement ?? '', /isWorkspaceTrusted/);
});

test('the gallery shows a 128x128 icon on a banner that fits it', () => {
  const raw = JSON.parse(readFileSync('package.json', 'utf8')) as { icon?: string; galleryBanner?: { color?: string; theme?: string } };
  const png = readFileSync(raw.icon ?? '');
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.match(raw.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
  assert.ok(raw.galleryBanner?.theme === 'dark' || raw.galleryBanner?.theme === 'light');
});

test('context keys come from CONTEXT_KEYS only, and each one is used by a when clause of the manifest', () => {
  const literal: string[] = [];
  for (const file of sourceFilesUnder('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/'setContext',\s*['"`]/g)) literal.push(`${file}:${text.slice(0, m.index).split('\n').length}`);
  }
  assert.deepEqual(literal, [], 'setContext with a literal key bypasses CONTEXT_KEYS');
  const contributes = JSON.stringify(manifest.contributes);
  const clauses = [...contributes.matchAll(/"(?:when|enablement)":"([^"]*)"/g), ...contributes.matchAll(/onContext:([\w.]+)/g)].map((m) => m[1]!).join(' ');
  for (const key of Object.values(CONTEXT_KEYS)) assert.ok(clauses.includes(key), `${key} is set but no when clause reads it`);
  const viewsAndSettings = new Set([
    ...Object.values(manifest.contributes.views).flat().map((v: { id: string }) => v.id),
    ...Object.keys(manifest.contributes.configuration.properties),
    ...Object.values(manifest.contributes.viewsContainers ?? {}).flat().map((v: { id: string }) => v.id),
  ]);
  const contextKeys = new Set<string>(Object.values(CONTEXT_KEYS));
  for (const m of clauses.matchAll(/kalturaWebhooks\.[A-Za-z]+/g)) {
    const key = m[0];
    const known = contextKeys.has(key) || [...viewsAndSettings].some((id) => id === key || id.startsWith(`${key}.`)) || /^config\./.test(clauses.slice(Math.max(0, m.index - 7), m.index));
    assert.ok(known, `a when clause reads ${key}, which is neither a context key in CONTEXT_KEYS nor a view or setting`);
  }
});

function sourceFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFilesUnder(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

test('the inspector module is loaded on the first open of an event: only a dynamic import reaches it', () => {
  // esbuild runs a module reached only through import() when that import first runs, as GitLens loads its webviews.
  const importers: string[] = [];
  for (const file of sourceFilesUnder('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*import\s+(?!type\b)[^;]*from\s+['"][./]+(?:vscode\/)?inspector\/inspectorPanel['"]/gm)) importers.push(`${file}: ${m[0].trim()}`);
  }
  assert.deepEqual(importers, [], 'a static import would evaluate the inspector when the core loads');
  assert.match(readFileSync('src/extensionCore.ts', 'utf8'), /import\('\.\/vscode\/inspector\/inspectorPanel'\)/);
});
