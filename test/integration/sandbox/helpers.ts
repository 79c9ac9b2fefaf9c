// Shared by the sandbox integration tests: plain HTTP calls to the sandbox API (JSON or form-encoded).
import { request } from 'undici';

export type Json = Record<string, unknown>;

export async function apiCall(base: string, service: string, action: string, params: Json, form?: Array<[string, string]>): Promise<any> {
  return (await apiCallWithHeaders(base, service, action, params, form)).body;
}

/** The answer and its response headers (Kaltura names members it did not apply in headers). */
export async function apiCallWithHeaders(base: string, service: string, action: string, params: Json, form?: Array<[string, string]>): Promise<{ body: any; headers: Record<string, string | string[] | undefined> }> {
  const url = `${base}/api_v3/service/${service}${service === 'multirequest' ? '' : `/action/${action}`}`;
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(form).toString() : JSON.stringify({ format: 1, ...params }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text}`);
  return { body: JSON.parse(text), headers: res.headers };
}

export async function adminSession(base: string, partnerId: number, secret: string, type = 2): Promise<string> {
  const ks = await apiCall(base, 'session', 'start', { secret, partnerId, type, userId: 'admin' });
  if (typeof ks !== 'string') throw new Error(`session.start failed: ${JSON.stringify(ks)}`);
  return ks;
}

export const TEMPLATE_SERVICE = 'eventnotification_eventnotificationtemplate';

export async function systemTemplateId(base: string, ks: string, systemName: string): Promise<number> {
  const list = await apiCall(base, TEMPLATE_SERVICE, 'listTemplates', { ks, filter: { systemNameEqual: systemName } });
  const id = list.objects?.[0]?.id;
  if (typeof id !== 'number') throw new Error(`no system template ${systemName}: ${JSON.stringify(list)}`);
  return id;
}

export function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const value = probe();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}
