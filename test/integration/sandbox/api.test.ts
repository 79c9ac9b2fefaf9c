import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { appTokenHash, generateKsV1 } from '../../../src/core/kaltura/ks';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { adminSession, apiCall, apiCallWithHeaders, systemTemplateId, TEMPLATE_SERVICE } from './helpers';

const HTTP = 'KalturaHttpNotificationTemplate';

describe('sandbox API', () => {
  let sb: Sandbox;
  let ks: string;

  before(async () => {
    sb = await startSandbox({ retryIntervalMs: 50, maxAttempts: 1 });
    ks = await adminSession(sb.url, sb.partnerId, sb.adminSecret);
  });
  after(() => sb.close());

  test('session.start: admin secret gives an ADMIN v2 KS; a wrong secret gives START_SESSION_ERROR', async () => {
    assert.ok(Buffer.from(ks.replace(/-/g, '+').replace(/_/g, '/'), 'base64').subarray(0, 3).toString() === 'v2|');
    const info = await apiCall(sb.url, 'session', 'get', { ks });
    assert.equal(info.sessionType, 2);
    assert.equal(info.partnerId, sb.partnerId);
    const bad = await apiCall(sb.url, 'session', 'start', { secret: 'wrong', partnerId: sb.partnerId, type: 2 });
    assert.equal(bad.objectType, 'KalturaAPIException');
    assert.equal(bad.code, 'START_SESSION_ERROR');
    assert.match(bad.message, /Error while starting session for partner/);
  });

  test('INVALID_KS for a tampered, an unknown-partner and an expired KS; MISSING_KS without one', async () => {
    const tampered = ks.slice(0, -8) + (ks.endsWith('AAAAAAAA') ? 'BBBBBBBB' : 'AAAAAAAA');
    const expired = generateKsV1({ secret: sb.adminSecret, partnerId: sb.partnerId, expiryAbs: Math.floor(Date.now() / 1000) - 10, type: 2, userId: 'a', privileges: '', rand: 1 });
    const stranger = generateKsV1({ secret: 'x', partnerId: 1, expiryAbs: Math.floor(Date.now() / 1000) + 100, type: 2, userId: 'a', privileges: '', rand: 1 });
    for (const [candidate, errCode] of [[tampered, '-1'], [expired, '-5'], [stranger, '-2'], ['garbage!', '-1']] as const) {
      const r = await apiCall(sb.url, TEMPLATE_SERVICE, 'listTemplates', { ks: candidate });
      assert.equal(r.code, 'INVALID_KS', candidate);
      assert.equal(r.args.find((a: { name: string }) => a.name === 'ERR_CODE').value, errCode);
    }
    assert.equal((await apiCall(sb.url, TEMPLATE_SERVICE, 'list', {})).code, 'MISSING_KS');
    // A v1 KS made locally by a client with the admin secret is accepted.
    const localKs = generateKsV1({ secret: sb.adminSecret, partnerId: sb.partnerId, expiryAbs: Math.floor(Date.now() / 1000) + 100, type: 2, userId: 'a', privileges: '', rand: 7 });
    assert.equal(typeof (await apiCall(sb.url, TEMPLATE_SERVICE, 'list', { ks: localKs })).totalCount, 'number');
  });

  test('SERVICE_FORBIDDEN for a USER KS; FEATURE_FORBIDDEN for a partner without the plugin', async () => {
    const userKs = await adminSession(sb.url, sb.partnerId, sb.adminSecret, 0);
    const forbidden = await apiCall(sb.url, TEMPLATE_SERVICE, 'listTemplates', { ks: userKs });
    assert.equal(forbidden.code, 'SERVICE_FORBIDDEN');
    const other = sb.addPartner({ features: [] });
    const otherKs = await adminSession(sb.url, other.partnerId, other.adminSecret);
    const feature = await apiCall(sb.url, TEMPLATE_SERVICE, 'listTemplates', { ks: otherKs });
    assert.equal(feature.code, 'FEATURE_FORBIDDEN');
    assert.equal(feature.args[0].value, 'eventNotification');
  });

  test('form-encoded clone with a[b][c] flattening, then the template error codes in their real situations', async () => {
    const src = await systemTemplateId(sb.url, ks, 'HTTP_ENTRY_ADDED');
    const cloned = await apiCall(sb.url, TEMPLATE_SERVICE, 'clone', {}, [
      ['format', '1'], ['ks', ks], ['id', String(src)],
      ['eventNotificationTemplate[objectType]', HTTP],
      ['eventNotificationTemplate[systemName]', 'FORM_CLONE'],
      ['eventNotificationTemplate[url]', 'http://127.0.0.1:9/hook'],
      ['eventNotificationTemplate[data][objectType]', 'KalturaHttpNotificationObjectData'],
      ['eventNotificationTemplate[data][format]', '1'],
      ['eventNotificationTemplate[customHeaders][0][objectType]', 'KalturaKeyValue'],
      ['eventNotificationTemplate[customHeaders][0][key]', 'X-Entry'],
      ['eventNotificationTemplate[customHeaders][0][value]', '{entry_id}'],
      ['eventNotificationTemplate[manualDispatchEnabled]', '0'],
    ]);
    assert.equal(cloned.objectType, HTTP, JSON.stringify(cloned));
    assert.equal(cloned.systemName, 'FORM_CLONE');
    assert.equal(cloned.status, 1, 'the clone keeps the system template\'s status: DISABLED');
    assert.deepEqual(cloned.customHeaders, [{ objectType: 'KalturaKeyValue', key: 'X-Entry', value: '{entry_id}' }]);
    assert.equal(cloned.data.format, 1);
    assert.equal(cloned.manualDispatchEnabled, undefined);

    const second = await apiCall(sb.url, TEMPLATE_SERVICE, 'clone', { ks, id: src, eventNotificationTemplate: { objectType: HTTP, systemName: 'FORM_CLONE' } });
    assert.equal(second.systemName, 'FORM_CLONE', 'a DISABLED namesake does not count');
    assert.equal((await apiCall(sb.url, TEMPLATE_SERVICE, 'updateStatus', { ks, id: cloned.id, status: 2 })).status, 2);
    const dup = await apiCall(sb.url, TEMPLATE_SERVICE, 'clone', { ks, id: src, eventNotificationTemplate: { objectType: HTTP, systemName: 'FORM_CLONE' } });
    assert.equal(dup.code, 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME');

    const entry = sb.addEntry({ name: 'dispatch me' });
    const disabled = await apiCall(sb.url, TEMPLATE_SERVICE, 'dispatch', { ks, id: cloned.id, scope: { objectType: 'KalturaEventNotificationScope', objectId: entry.id, scopeObjectType: '1' } });
    assert.equal(disabled.code, 'EVENT_NOTIFICATION_DISPATCH_DISABLED');

    const notUpdatable = await apiCall(sb.url, TEMPLATE_SERVICE, 'update', { ks, id: cloned.id, eventNotificationTemplate: { objectType: HTTP, id: 5, name: 'x' } });
    assert.equal(notUpdatable.code, 'PROPERTY_VALIDATION_NOT_UPDATABLE');
    assert.equal(notUpdatable.args[0].value, `${HTTP}::id`);

    const wrongType = await apiCall(sb.url, TEMPLATE_SERVICE, 'clone', { ks, id: src, eventNotificationTemplate: { objectType: 'KalturaEmailNotificationTemplate', systemName: 'E' } });
    assert.equal(wrongType.code, 'EVENT_NOTIFICATION_WRONG_TYPE');

    assert.equal(await apiCall(sb.url, TEMPLATE_SERVICE, 'delete', { ks, id: cloned.id }), null);
    assert.equal(await apiCall(sb.url, TEMPLATE_SERVICE, 'delete', { ks, id: second.id }), null);
    const badEnum = await apiCall(sb.url, TEMPLATE_SERVICE, 'updateStatus', { ks, id: cloned.id, status: 5 });
    assert.equal(badEnum.code, 'INVALID_ENUM_VALUE');
    assert.equal((await apiCall(sb.url, TEMPLATE_SERVICE, 'get', { ks, id: src })).code, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND', 'get does not see system templates');
    const listed = await apiCall(sb.url, TEMPLATE_SERVICE, 'list', { ks, filter: { objectType: 'KalturaEventNotificationTemplateFilter', statusEqual: 3 } });
    assert.equal(listed.totalCount, 0, 'deleted templates are never listed');
    const gone = await apiCall(sb.url, TEMPLATE_SERVICE, 'get', { ks, id: cloned.id });
    assert.equal(gone.code, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
    const systemUpdate = await apiCall(sb.url, TEMPLATE_SERVICE, 'update', { ks, id: src, eventNotificationTemplate: { objectType: HTTP, url: 'x' } });
    assert.equal(systemUpdate.code, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
    assert.equal((await apiCall(sb.url, 'nosuch', 'x', { ks })).code, 'SERVICE_DOES_NOT_EXISTS');
    assert.equal((await apiCall(sb.url, TEMPLATE_SERVICE, 'nosuch', { ks })).code, 'ACTION_DOES_NOT_EXISTS');
    assert.equal((await apiCall(sb.url, TEMPLATE_SERVICE, 'get', { ks })).code, 'MISSING_MANDATORY_PARAMETER');
  });

  test('a partner admin KS: restricted members are not applied and are named in response headers; partner -2 may set them and add', async () => {
    const src = await systemTemplateId(sb.url, ks, 'HTTP_ENTRY_CHANGED');
    const { body: clone, headers } = await apiCallWithHeaders(sb.url, TEMPLATE_SERVICE, 'clone', {
      ks,
      id: src,
      eventNotificationTemplate: {
        objectType: HTTP,
        systemName: 'RESTRICTED',
        manualDispatchEnabled: true,
        eventType: '2',
        data: { objectType: 'KalturaHttpNotificationObjectData', format: 1, urlEncode: true },
      },
    });
    assert.equal(clone.manualDispatchEnabled, undefined);
    assert.equal(clone.data.urlEncode, undefined, 'urlEncode is not an API member');
    assert.equal(clone.secureHashingAlgo, 1, 'never set reads back as SHA1');
    assert.equal(clone.eventType, '3');
    assert.equal(headers['kalturaeventnotificationtemplate-manualdispatchenabled-error'], `Current user does not have permission to update property "${HTTP}::manualDispatchEnabled"`);
    assert.equal(headers['kalturaeventnotificationtemplate-eventtype-error'], `Current user does not have permission to update property "${HTTP}::eventType"`);
    const add = await apiCall(sb.url, TEMPLATE_SERVICE, 'add', { ks, eventNotificationTemplate: { objectType: HTTP, name: 'Added', systemName: 'ADDED' } });
    assert.equal(add.code, 'SERVICE_FORBIDDEN');

    const consoleKs = await adminSession(sb.url, -2, sb.adminConsoleSecret);
    const { body: allowed, headers: quiet } = await apiCallWithHeaders(sb.url, TEMPLATE_SERVICE, 'update', {
      ks: consoleKs,
      partnerId: sb.partnerId,
      id: clone.id,
      eventNotificationTemplate: { objectType: HTTP, manualDispatchEnabled: true },
    });
    assert.equal(allowed.manualDispatchEnabled, true);
    assert.equal(allowed.partnerId, sb.partnerId);
    assert.equal(Object.keys(quiet).filter((h) => h.endsWith('-error')).length, 0);
    const added = await apiCall(sb.url, TEMPLATE_SERVICE, 'add', { ks: consoleKs, partnerId: sb.partnerId, eventNotificationTemplate: { objectType: HTTP, name: 'Added', systemName: 'ADDED', eventType: '2', eventObjectType: '1' } });
    assert.deepEqual([added.partnerId, added.status], [sb.partnerId, 2]);
    assert.equal((await adminSession(sb.url, -2, 'wrong-secret').catch((e: Error) => e.message)).toString().includes('START_SESSION_ERROR'), true);
  });

  test('multirequest with {N:result:…} references and a per-item error', async () => {
    const results = await apiCall(sb.url, 'multirequest', '', {
      ks,
      0: { service: TEMPLATE_SERVICE, action: 'listTemplates', filter: { systemNameEqual: 'HTTP_ENTRY_DELETED' } },
      1: { service: TEMPLATE_SERVICE, action: 'clone', id: '{1:result:objects:0:id}', eventNotificationTemplate: { objectType: HTTP, systemName: 'MULTI' } },
      2: { service: TEMPLATE_SERVICE, action: 'updateStatus', id: '{2:result:id}', status: 1 },
      3: { service: TEMPLATE_SERVICE, action: 'get', id: 1 },
    });
    assert.equal(results.length, 4);
    assert.equal(results[1].systemName, 'MULTI');
    assert.equal(results[1].eventType, '7');
    assert.equal(results[2].id, results[1].id);
    assert.equal(results[2].status, 1);
    assert.equal(results[3].code, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  });

  test('appToken: widget session + hashed token start a session; a wrong hash is refused', async () => {
    const token = await apiCall(sb.url, 'appToken', 'add', { ks, appToken: { objectType: 'KalturaAppToken', hashType: 'SHA256', sessionType: 2, sessionPrivileges: 'disableentitlement' } });
    assert.equal(token.objectType, 'KalturaAppToken', JSON.stringify(token));
    const widget = await apiCall(sb.url, 'session', 'startWidgetSession', { widgetId: `_${sb.partnerId}` });
    assert.equal(widget.objectType, 'KalturaStartWidgetSessionResponse');
    const hash = appTokenHash(widget.ks, token.token, 'SHA256');
    const info = await apiCall(sb.url, 'appToken', 'startSession', { ks: widget.ks, id: token.id, tokenHash: hash });
    assert.equal(info.objectType, 'KalturaSessionInfo', JSON.stringify(info));
    assert.equal(info.sessionType, 2);
    assert.match(info.privileges, new RegExp(`appToken:${token.id}`));
    assert.equal(typeof (await apiCall(sb.url, TEMPLATE_SERVICE, 'list', { ks: info.ks })).totalCount, 'number');
    const wrong = await apiCall(sb.url, 'appToken', 'startSession', { ks: widget.ks, id: token.id, tokenHash: appTokenHash(ks, token.token, 'SHA256') });
    assert.equal(wrong.code, 'INVALID_APP_TOKEN_HASH');
    assert.equal((await apiCall(sb.url, 'session', 'startWidgetSession', { widgetId: '_1' })).code, 'INVALID_WIDGET_ID');
  });

  test('fault modes: http-500 and malformed-json for N calls, hang, expire-ks', async () => {
    sb.setFaults({ mode: 'http-500', count: 2 });
    for (let i = 0; i < 2; i++) await assert.rejects(apiCall(sb.url, 'system', 'ping', {}), /HTTP 500/);
    assert.equal(await apiCall(sb.url, 'system', 'ping', {}), true);

    const set = await request(`${sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'malformed-json', count: 1 }) });
    assert.deepEqual(await set.body.json(), { mode: 'malformed-json', remaining: 1 });
    await assert.rejects(apiCall(sb.url, 'system', 'ping', {}), SyntaxError);
    assert.equal(await apiCall(sb.url, 'system', 'ping', {}), true);

    sb.setFaults({ mode: 'hang', count: 1 });
    await assert.rejects(
      request(`${sb.url}/api_v3/service/system/action/ping`, { method: 'POST', headersTimeout: 300 }),
      (err: Error & { code?: string }) => err.code === 'UND_ERR_HEADERS_TIMEOUT',
    );
    assert.equal(await apiCall(sb.url, 'system', 'ping', {}), true);

    const before = await adminSession(sb.url, sb.partnerId, sb.adminSecret);
    assert.deepEqual(sb.setFaults({ mode: 'expire-ks' }), { mode: 'none', remaining: null });
    const expired = await apiCall(sb.url, TEMPLATE_SERVICE, 'list', { ks: before });
    assert.equal(expired.code, 'INVALID_KS');
    const fresh = await adminSession(sb.url, sb.partnerId, sb.adminSecret);
    assert.equal(typeof (await apiCall(sb.url, TEMPLATE_SERVICE, 'list', { ks: fresh })).totalCount, 'number');
    ks = fresh;

    const badFault = await request(`${sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'explode' }) });
    assert.equal(badFault.statusCode, 400);
    assert.match(((await badFault.body.json()) as { error: string }).error, /invalid faults/);
  });
});
