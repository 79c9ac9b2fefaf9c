// The Kaltura client against the local sandbox over real HTTP: the three session kinds, every template action,
// typed errors with hints, retries of injected transient faults, and re-created sessions after INVALID_KS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../src/sandbox';
import { KalturaApiClient } from '../../../src/core/kaltura/apiClient';
import { createKalturaConnection, type KalturaConnection } from '../../../src/core/kaltura/connection';
import { KalturaApiError, KalturaTransportError } from '../../../src/core/kaltura/errors';
import { decodeKs, generateKsV2, isKsError } from '../../../src/core/kaltura/ks';
import { HTTP_TEMPLATE_TYPE, TemplateStatus, type AnyTemplate } from '../../../src/core/kaltura/schemas';
import type { SessionConfig } from '../../../src/core/kaltura/session';
import { workbenchSystemName } from '../../../src/core/kaltura/registration';
import { adminConsole, enableManualDispatch } from '../../support/adminConsole';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', retryIntervalMs: 50 });
});
after(async () => {
  await sandbox?.close();
});

function connect(session?: Partial<SessionConfig> & { kind?: SessionConfig['kind'] }, extra: { retries?: number; timeoutMs?: number; log?: (line: string) => void } = {}): KalturaConnection {
  const config = { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret, ...session } as SessionConfig;
  return createKalturaConnection({ serviceUrl: sandbox.url, retries: extra.retries ?? 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutMs: extra.timeoutMs ?? 5000, log: extra.log, session: config });
}

async function expectApiError(promise: Promise<unknown>, code: string): Promise<KalturaApiError> {
  const err = await promise.then(
    (v) => assert.fail(`expected ${code}, got a result: ${JSON.stringify(v)}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof KalturaApiError, `expected a KalturaApiError ${code}, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.ok(err.hint && err.hint.length > 20, `a hint for ${code}`);
  assert.ok(err.message.includes(err.hint), 'the message carries the hint');
  return err;
}

async function httpSystemTemplate(c: KalturaConnection): Promise<AnyTemplate> {
  const list = await c.templates.listAllTemplates({ typeEqual: HTTP_TEMPLATE_TYPE });
  const t = list.find((x) => x.systemName === 'HTTP_ENTRY_STATUS_CHANGED') ?? list[0];
  assert.ok(t, 'the sandbox ships HTTP system templates');
  return t;
}

test('local KS v2 session: no secret on the wire, template list works', async () => {
  const c = connect();
  const page = await c.templates.list();
  assert.equal(typeof page.totalCount, 'number');
  const ks = c.session.session!.ks;
  const decoded = decodeKs(ks, () => sandbox.adminSecret);
  assert.ok(!isKsError(decoded) && decoded.version === 2 && decoded.partnerId === sandbox.partnerId);
});

test('session.start session', async () => {
  const c = connect({ kind: 'sessionStart', partnerId: sandbox.partnerId, secret: sandbox.adminSecret } as SessionConfig);
  await c.templates.list();
  assert.equal(c.session.created, 1);
  const s = c.session.session!;
  assert.ok(s.expiresAt > Math.floor(Date.now() / 1000));
  const bad = connect({ kind: 'sessionStart', partnerId: sandbox.partnerId, secret: 'wrong' } as SessionConfig);
  await expectApiError(bad.templates.list(), 'START_SESSION_ERROR');
});

test('app token session: widget session, tokenHash, appToken.startSession', async () => {
  const admin = connect();
  for (const hashType of ['SHA256', 'MD5'] as const) {
    const token = await admin.session.call<{ id: string; token: string }>('apptoken', 'add', {
      appToken: { objectType: 'KalturaAppToken', hashType, sessionType: 2, sessionPrivileges: 'disableentitlement' },
    });
    assert.ok(token.id && token.token);
    const c = connect({ kind: 'appToken', partnerId: sandbox.partnerId, appTokenId: token.id, appToken: token.token, hashType } as SessionConfig);
    const page = await c.templates.listTemplates(undefined, { pageSize: 1, pageIndex: 1 });
    assert.ok(page.totalCount > 0);
    const wrongHashType = connect({ kind: 'appToken', partnerId: sandbox.partnerId, appTokenId: token.id, appToken: token.token, hashType: 'SHA1' } as SessionConfig);
    await expectApiError(wrongHashType.templates.list(), 'INVALID_APP_TOKEN_HASH');
  }
});

test('listTemplates follows all pages with a small page size', async () => {
  const c = connect();
  const onePage = await c.templates.listTemplates(undefined, { pageSize: 500, pageIndex: 1 });
  assert.ok(onePage.totalCount >= 3, 'enough system templates to page through');
  const paged = await c.templates.listAllTemplates(undefined, { pageSize: 2 });
  assert.equal(paged.length, onePage.totalCount);
  assert.deepEqual(paged.map((t) => t.id).sort((a, b) => a - b), onePage.objects.map((t) => t.id).sort((a, b) => a - b));
  assert.ok(paged.every((t) => t.partnerId === 0 || t.partnerId === undefined));
});

test('clone → get → update → updateStatus → list → dispatch (refused, then allowed by the Admin Console) → delete', async () => {
  const c = connect();
  const source = await httpSystemTemplate(c);
  const systemName = workbenchSystemName(source.systemName ?? 'T');
  const clone = await c.templates.clone(source.id, { objectType: 'KalturaHttpNotificationTemplate', systemName, url: 'http://127.0.0.1:9/kaltura/x', manualDispatchEnabled: true });
  assert.notEqual(clone.id, source.id);
  assert.equal(clone.systemName, systemName);
  assert.equal(clone.partnerId, sandbox.partnerId);
  const got = await c.templates.get(clone.id);
  assert.equal(got.url, 'http://127.0.0.1:9/kaltura/x');
  const updated = await c.templates.update(clone.id, { objectType: 'KalturaHttpNotificationTemplate', url: 'http://127.0.0.1:9/kaltura/y', description: 'kwh test' });
  assert.equal(updated.url, 'http://127.0.0.1:9/kaltura/y');
  assert.equal(updated.description, 'kwh test');
  const active = await c.templates.updateStatus(clone.id, TemplateStatus.ACTIVE);
  assert.equal(active.status, TemplateStatus.ACTIVE);
  const mine = await c.templates.listAll({ systemNameEqual: systemName });
  assert.deepEqual(mine.map((t) => t.id), [clone.id]);
  assert.notEqual(active.manualDispatchEnabled, true, 'a partner admin KS cannot turn on manual dispatch');
  assert.equal((await c.templates.activate(clone.id)).status, TemplateStatus.ACTIVE, 'activating an active template is not an error');
  await expectApiError(c.templates.updateStatus(clone.id, TemplateStatus.ACTIVE), 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME');
  const entry = sandbox.addEntry({ name: 'kwh dispatch test' });
  await expectApiError(c.templates.dispatch(clone.id, { objectId: entry.id, scopeObjectType: 1 }), 'EVENT_NOTIFICATION_DISPATCH_DISABLED');
  await expectApiError(c.templates.dispatch(source.id, { objectId: entry.id, scopeObjectType: 1 }), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  await enableManualDispatch(sandbox, clone.id);
  await expectApiError(c.templates.dispatch(clone.id, { objectId: '0_nosuch', scopeObjectType: 1 }), 'INVALID_OBJECT_ID');
  const jobId = await c.templates.dispatch(clone.id, { objectId: entry.id, scopeObjectType: 1 });
  assert.ok(Number.isInteger(jobId) && jobId > 0);
  const disabled = await c.templates.updateStatus(clone.id, TemplateStatus.DISABLED);
  assert.equal(disabled.status, TemplateStatus.DISABLED);
  await c.templates.delete(clone.id);
  await expectApiError(c.templates.get(clone.id), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  assert.deepEqual(await c.templates.listAll({ systemNameEqual: systemName }), []);
});

test('add is the Admin Console\'s: a partner admin KS gets SERVICE_FORBIDDEN; partner -2 creates an ACTIVE template for the partner', async () => {
  const c = connect();
  const systemName = workbenchSystemName('ADDED');
  const input = {
    objectType: 'KalturaHttpNotificationTemplate',
    name: 'added by kwh',
    systemName,
    type: HTTP_TEMPLATE_TYPE,
    eventType: '3',
    eventObjectType: '1',
    url: 'http://127.0.0.1:9/kaltura/' + systemName,
    method: 2,
  };
  await expectApiError(c.templates.add(input), 'SERVICE_FORBIDDEN');
  const { type: _type, ...withoutType } = input;
  const added = await c.templates.get(Number((await (await adminConsole(sandbox)).add(withoutType)).id));
  try {
    assert.equal(added.systemName, systemName);
    assert.equal(added.partnerId, sandbox.partnerId);
    assert.equal(added.status, TemplateStatus.ACTIVE);
    assert.equal((await c.templates.get(added.id)).name, 'added by kwh');
  } finally {
    await c.templates.delete(added.id);
  }
});

test('listByPartner answers a list', async () => {
  const c = connect();
  const page = await c.templates.listByPartner(undefined, { pageSize: 5, pageIndex: 1 });
  assert.ok(Array.isArray(page.objects));
});

test('every listed error code comes back typed, with its hint', async () => {
  const c = connect();
  const source = await httpSystemTemplate(c);
  const systemName = workbenchSystemName('ERRORS');
  const clone = await c.templates.clone(source.id, { objectType: 'KalturaHttpNotificationTemplate', systemName, manualDispatchEnabled: false });
  await c.templates.updateStatus(clone.id, TemplateStatus.ACTIVE);
  try {
    // dispatch on a template without manualDispatchEnabled
    await expectApiError(c.templates.dispatch(clone.id, { objectId: sandbox.addEntry({}).id, scopeObjectType: 1 }), 'EVENT_NOTIFICATION_DISPATCH_DISABLED');
    // duplicate systemName
    await expectApiError(c.templates.clone(source.id, { objectType: 'KalturaHttpNotificationTemplate', systemName }), 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME');
    // update of a read-only field
    const readonly = await expectApiError(c.templates.update(clone.id, { objectType: 'KalturaHttpNotificationTemplate', status: 1 }), 'PROPERTY_VALIDATION_NOT_UPDATABLE');
    assert.ok(readonly.args.length > 0);
    // expired KS
    const expired = generateKsV2({ secret: sandbox.adminSecret, partnerId: sandbox.partnerId, expiryAbs: Math.floor(Date.now() / 1000) - 60, type: 2, userId: '', privileges: '' });
    const invalid = await expectApiError(connect({ kind: 'fixedKs', partnerId: sandbox.partnerId, ks: expired } as SessionConfig).templates.list(), 'INVALID_KS');
    assert.doesNotMatch(invalid.message, new RegExp(expired.slice(0, 40).replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')), 'the KS is not echoed');
    // forged KS (signed with another secret)
    const forged = generateKsV2({ secret: 'f'.repeat(32), partnerId: sandbox.partnerId, expiryAbs: Math.floor(Date.now() / 1000) + 600, type: 2, userId: '', privileges: '' });
    await expectApiError(connect({ kind: 'fixedKs', partnerId: sandbox.partnerId, ks: forged } as SessionConfig).templates.list(), 'INVALID_KS');
    // USER session on an admin service
    await expectApiError(connect({ type: 0 }).templates.list(), 'SERVICE_FORBIDDEN');
    // partner without the Event Notifications feature
    const noFeature = sandbox.addPartner({ features: [] });
    await expectApiError(connect({ partnerId: noFeature.partnerId, adminSecret: noFeature.adminSecret }).templates.list(), 'FEATURE_FORBIDDEN');
  } finally {
    await c.templates.delete(clone.id);
  }
  // get of a deleted id
  await expectApiError(c.templates.get(clone.id), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
});

test('INVALID_KS mid-session: the session is re-created once and the call repeated', async () => {
  const c = connect({ kind: 'sessionStart', partnerId: sandbox.partnerId, secret: sandbox.adminSecret } as SessionConfig);
  await c.templates.list();
  const firstKs = c.session.session!.ks;
  sandbox.setFaults({ mode: 'expire-ks' });
  try {
    await c.templates.list();
  } finally {
    sandbox.setFaults({ mode: 'none' });
  }
  assert.equal(c.session.created, 2);
  assert.notEqual(c.session.session!.ks, firstKs);
});

test('transient faults are retried: 5xx and a hang; an API error is not', async () => {
  const log: string[] = [];
  const c = connect(undefined, { retries: 3, timeoutMs: 300, log: (line) => log.push(line) });
  await c.session.getKs();
  assert.equal(sandbox.faults().mode, 'none');
  sandbox.setFaults({ mode: 'http-500', count: 2 });
  const page = await c.templates.list();
  assert.equal(typeof page.totalCount, 'number');
  assert.deepEqual(log.map((l) => / (ok|failed) /.exec(l)?.[1]), ['failed', 'failed', 'ok'], 'two 500s, then success');
  log.length = 0;
  sandbox.setFaults({ mode: 'hang', count: 1 });
  await c.templates.list();
  assert.match(log[0] ?? '', /timed out after 300 ms/);
  assert.equal(log.length, 2);
  sandbox.setFaults({ mode: 'http-500' });
  try {
    const err = await c.templates.list().catch((e: unknown) => e);
    assert.ok(err instanceof KalturaTransportError && err.status === 500 && err.attempts === 4, String(err));
  } finally {
    sandbox.setFaults({ mode: 'none' });
  }
  sandbox.setFaults({ mode: 'malformed-json', count: 1 });
  const malformed = await c.templates.list().catch((e: unknown) => e);
  assert.ok(malformed instanceof KalturaTransportError && malformed.kind === 'malformed' && malformed.attempts === 1, String(malformed));
  sandbox.setFaults({ mode: 'none' });
  // A client error reaches the server once.
  let attempts = 0;
  const counting = new KalturaApiClient({ serviceUrl: sandbox.url, retries: 3, retryBaseDelayMs: 5, log: () => attempts++ });
  await expectApiError(counting.call('eventnotification_eventnotificationtemplate', 'get', { id: 999999 }, { ks: await c.session.getKs() }), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  assert.equal(attempts, 1);
});
