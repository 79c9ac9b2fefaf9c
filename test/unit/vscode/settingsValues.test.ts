// The settings table in code (defaults, choices, ranges) is the one package.json declares: a default changed in
// one place and not the other would make a fresh install behave unlike its documentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SECTION, SETTING_CHOICES, SETTING_DEFAULTS, SETTING_RANGES, settingsFrom, type SettingKey } from '../../../src/vscode/settingsValues';

interface ManifestSetting {
  default?: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { configuration: { properties: Record<string, ManifestSetting> } | Array<{ properties: Record<string, ManifestSetting> }> } };
const sections = Array.isArray(manifest.contributes.configuration) ? manifest.contributes.configuration : [manifest.contributes.configuration];
const declared = new Map<string, ManifestSetting>();
for (const section of sections) for (const [key, spec] of Object.entries(section.properties)) declared.set(key.slice(SECTION.length + 1), spec);

test('every setting package.json declares is in the table, and nothing else is', () => {
  assert.deepEqual([...declared.keys()].sort(), Object.keys(SETTING_DEFAULTS).sort());
});

test('each default, choice list and range equals the one package.json declares', () => {
  for (const [key, spec] of declared) {
    assert.deepEqual(SETTING_DEFAULTS[key as SettingKey], spec.default ?? null, `default of ${key}`);
    const choices = (SETTING_CHOICES as Record<string, readonly string[]>)[key];
    assert.deepEqual(choices ? [...choices] : undefined, spec.enum, `choices of ${key}`);
    const range = (SETTING_RANGES as Record<string, readonly [number, number]>)[key];
    if (spec.minimum !== undefined || spec.maximum !== undefined) assert.deepEqual(range, [spec.minimum, spec.maximum], `range of ${key}`);
    else assert.equal(range, undefined, `${key} has no range in package.json`);
  }
});

test('nothing set reads the same as package.json\'s defaults set explicitly', () => {
  const fromManifest = settingsFrom((key) => declared.get(key)?.default);
  assert.deepEqual(settingsFrom(() => undefined), fromManifest);
  assert.equal(fromManifest.storeCapacity, 5000);
  assert.equal(fromManifest.tunnelHost, 'https://localtunnel.me');
  assert.equal(fromManifest.partnerId, undefined);
});

test('bad raw values fall back or are clamped, strings are trimmed', () => {
  const raw: Partial<Record<SettingKey, unknown>> = {
    port: 70000,
    'store.capacity': 3,
    'tunnel.provider': 'ngrok',
    'store.persist': 'yes',
    'account.partnerId': '12345',
    host: '  0.0.0.0 ',
    'tunnel.host': '   ',
  };
  const s = settingsFrom((key) => raw[key]);
  assert.equal(s.port, 65535);
  assert.equal(s.storeCapacity, 100);
  assert.equal(s.tunnelProvider, 'localtunnel');
  assert.equal(s.storePersist, true);
  assert.equal(s.partnerId, 12345);
  assert.equal(s.host, '0.0.0.0');
  assert.equal(s.tunnelHost, 'https://localtunnel.me', 'an empty value falls back to the default');
  assert.equal(settingsFrom((key) => (key === 'account.partnerId' ? -4 : undefined)).partnerId, undefined);
});
