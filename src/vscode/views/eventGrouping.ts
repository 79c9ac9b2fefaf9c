// Where an event sits in the Events tree and whether it passes the filter. Pure (no vscode import), unit-tested.
import type { EventSource, VerificationStatus, WebhookEvent } from '../../core/events/model';

export const SOURCE_LABELS: Record<EventSource, string> = {
  kaltura: 'Kaltura HTTP notifications',
  'kaltura-legacy': 'Kaltura legacy notifications',
  enablex: 'EnableX video',
  unknown: 'Other requests',
};

export interface GroupKey {
  source: EventSource;
  /** Stable key within the source. */
  key: string;
  label: string;
  description?: string;
}

/** Source → template (Kaltura), notification type (legacy), app/room (EnableX) or method + path (anything else). */
export function groupOf(event: WebhookEvent): GroupKey {
  const p = event.parsed;
  switch (p.kind) {
    case 'kaltura': {
      if (p.templateId !== undefined || p.templateName || p.templateSystemName) {
        const key = `template:${p.templateId ?? p.templateSystemName ?? p.templateName}`;
        const label = p.templateName || p.templateSystemName || `Template ${p.templateId}`;
        return { source: 'kaltura', key, label, ...(p.templateId !== undefined ? { description: `#${p.templateId}` } : {}) };
      }
      return { source: 'kaltura', key: 'template:none', label: 'No template id in payload' };
    }
    case 'kaltura-legacy':
      return {
        source: 'kaltura-legacy',
        key: `type:${p.notificationType ?? 'unknown'}`,
        label: p.notificationType ?? 'unknown notification type',
        ...(p.partnerId ? { description: `partner ${p.partnerId}` } : {}),
      };
    case 'enablex': {
      const app = p.appId ?? 'unknown app';
      const room = p.roomId ?? 'unknown room';
      return { source: 'enablex', key: `app:${app}|room:${room}`, label: `Room ${room}`, description: `app ${app}` };
    }
    default: {
      const path = event.request.path.split('?')[0] || '/';
      return { source: event.source, key: `${event.request.method} ${path}`, label: `${event.request.method} ${path}` };
    }
  }
}

/**
 * An event row's label inside its group: what differs between the group's events comes first (the object and its
 * status), because the group already names the template; anything else keeps its summary.
 */
export function eventRowLabel(event: WebhookEvent): string {
  const p = event.parsed;
  if (p.kind === 'kaltura' && p.objectId) return [p.objectId, p.objectStatusName].filter(Boolean).join(' ');
  if (p.kind === 'kaltura-legacy' && p.objectId) return p.objectId;
  return event.summary || event.type;
}

/** The row's description: verification first, then the answer the receiver gave, marks, and the age. */
export function eventRowDescription(event: WebhookEvent, now = Date.now()): string {
  const parts: string[] = [event.verification.status];
  if (event.response && event.response.status > 0) parts.push(String(event.response.status));
  if (event.duplicateOf) parts.push('duplicate');
  if (event.deliveryCount > 1) parts.push(`×${event.deliveryCount}`);
  if (event.origin && event.origin !== 'network') parts.push(event.origin);
  if (event.persisted === false) parts.push('not persisted');
  if (event.forward) parts.push(event.forward.error !== undefined ? 'app ✕' : `app ${event.forward.status}`);
  parts.push(ageOf(event.receivedAt, now));
  return parts.join(' · ');
}

export interface EventFilter {
  sources?: EventSource[];
  verification?: VerificationStatus[];
  /** Substring of the event type, case-insensitive. */
  type?: string;
  /** Substring of summary, type, object id, path or body text, case-insensitive. */
  text?: string;
}

export function isFilterActive(filter: EventFilter): boolean {
  return Boolean(filter.sources?.length || filter.verification?.length || filter.type || filter.text);
}

/** Text searched by the free-text filter: summary, type, ids and the first 64 KiB of the body. */
function searchableText(event: WebhookEvent): string {
  const p = event.parsed;
  const objectId = p.kind === 'kaltura' || p.kind === 'kaltura-legacy' ? (p.objectId ?? '') : '';
  const body = event.request.body.subarray(0, 65536).toString('utf8');
  return `${event.summary}\n${event.type}\n${objectId}\n${event.request.path}\n${body}`.toLowerCase();
}

export function matchesFilter(event: WebhookEvent, filter: EventFilter): boolean {
  if (filter.sources?.length && !filter.sources.includes(event.source)) return false;
  if (filter.verification?.length && !filter.verification.includes(event.verification.status)) return false;
  if (filter.type && !event.type.toLowerCase().includes(filter.type.toLowerCase())) return false;
  if (filter.text && !searchableText(event).includes(filter.text.toLowerCase())) return false;
  return true;
}

export function describeFilter(filter: EventFilter): string {
  const parts: string[] = [];
  if (filter.sources?.length) parts.push(`source: ${filter.sources.join(', ')}`);
  if (filter.verification?.length) parts.push(`verification: ${filter.verification.join(', ')}`);
  if (filter.type) parts.push(`type: ${filter.type}`);
  if (filter.text) parts.push(`text: "${filter.text}"`);
  return parts.join(' · ');
}

/** "12s ago", "5m ago", "3h ago", "2d ago". */
export function ageOf(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.round(h / 24)}d ago`;
}
