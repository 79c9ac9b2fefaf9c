// Where a replayed or exported request goes. A bare base URL (`http://localhost:3000`) keeps the event's own path
// and query; a URL with a path (`http://localhost:3000/hooks/kaltura`) is used as given, like `stripe listen
// --forward-to`, and only borrows the event's query when it has none of its own.
import { z } from 'zod';

const targetSchema = z
  .string()
  .trim()
  .min(1, 'the target URL is empty')
  .transform((value, ctx) => {
    try {
      return new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL; use e.g. http://localhost:3000/webhook` });
      return z.NEVER;
    }
  })
  .refine((url) => url.protocol === 'http:' || url.protocol === 'https:', {
    message: 'the target URL must start with http:// or https://',
  });

export function parseTargetUrl(value: string): URL {
  const parsed = targetSchema.safeParse(value);
  if (!parsed.success) throw new Error(`invalid target URL: ${parsed.error.issues[0]?.message ?? 'not a URL'}`);
  return parsed.data;
}

export function resolveTargetUrl(target: string, eventPath: string): string {
  const url = parseTargetUrl(target);
  const origin = `${url.protocol}//${url.host}`;
  const path = eventPath.startsWith('/') ? eventPath : `/${eventPath}`;
  if (url.pathname === '/' && url.search === '') return origin + path;
  const q = path.indexOf('?');
  const search = url.search !== '' ? url.search : q === -1 ? '' : path.slice(q);
  return origin + url.pathname + search;
}

/** For exports without a target: the event's Host header (falls back to localhost), plain http. */
export function defaultTargetFor(headers: Record<string, string>): string {
  const host = headers['host'];
  return `http://${host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : 'localhost'}`;
}
