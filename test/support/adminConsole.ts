// Partner -2, the sandbox's Admin Console: the way Kaltura's own deployment scripts make templates that an ordinary
// partner cannot (manual dispatch on, another event type). Plain API calls over HTTP with the request's partnerId.
import { request } from 'undici';
import type { Sandbox } from '../../src/sandbox';

const ADMIN_CONSOLE_PARTNER_ID = -2;

async function call(sandbox: Sandbox, service: string, action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await request(`${sandbox.url}/api_v3/service/${service}/action/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ format: 1, ...params }),
  });
  const body = (await res.body.json()) as Record<string, unknown>;
  if (body && body.objectType === 'KalturaAPIException') throw new Error(`${service}.${action}: ${String(body.code)} ${String(body.message)}`);
  return body;
}

/** An admin KS of partner -2 acting for `partnerId` (the sandbox's partner by default). */
export async function adminConsole(sandbox: Sandbox, partnerId = sandbox.partnerId) {
  const ks = (await call(sandbox, 'session', 'start', {
    secret: sandbox.adminConsoleSecret,
    partnerId: ADMIN_CONSOLE_PARTNER_ID,
    type: 2,
  })) as unknown as string;
  const templateCall = (action: string, params: Record<string, unknown>) =>
    call(sandbox, 'eventnotification_eventnotificationtemplate', action, { ks, partnerId, ...params });
  return {
    ks,
    /** Sets members on one of the partner's templates, Admin Console style (manualDispatchEnabled, eventType, …). */
    update: (id: number, changes: Record<string, unknown>) =>
      templateCall('update', { id, eventNotificationTemplate: { objectType: 'KalturaHttpNotificationTemplate', ...changes } }),
    add: (template: Record<string, unknown>) => templateCall('add', { eventNotificationTemplate: { objectType: 'KalturaHttpNotificationTemplate', ...template } }),
  };
}

/** Turns on manual dispatch for one of the partner's templates, as only the Admin Console can. */
export async function enableManualDispatch(sandbox: Sandbox, templateId: number): Promise<void> {
  await (await adminConsole(sandbox)).update(templateId, { manualDispatchEnabled: true });
}
