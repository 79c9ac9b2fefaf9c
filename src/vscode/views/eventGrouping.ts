// Where an event sits in the Events tree and whether it passes the filter. Pure (no vscode import), unit-tested.
import type { EventSource, VerificationStatus, WebhookEvent } from '../../core/events/model';
import { matchesQuery, type EventQuery } from './eventQuery';

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
  if (event.origin && event.origin !== 'network') parts.push(originMark(event));
  if (event.persisted === false) parts.push('not persisted');
  if (event.forward) parts.push(event.forward.error !== undefined ? 'app ✕' : `app ${event.forward.status}`);
  parts.push(ageOf(event.receivedAt, now));
  return parts.join(' · ');
}

/**
 * A row of the flat list (newest first, every request): the time, then what tells deliveries apart (object and
 * status, or the summary), like ngrok's request list.
 */
export function listRowLabel(event: WebhookEvent, time: string): string {
  return `${time}  ${eventRowLabel(event)}`;
}

/** The flat row's description: verification, the receiver's answer, the app's answer and time, marks, the group. */
export function listRowDescription(event: WebhookEvent): string {
  const parts: string[] = [event.verification.status];
  if (event.response && event.response.status > 0) parts.push(String(event.response.status));
  if (event.forward) {
    const answer = event.forward.error !== undefined ? 'app ✕' : `app ${event.forward.status}`;
    parts.push(event.forward.durationMs !== undefined ? `${answer} ${Math.round(event.forward.durationMs)} ms` : answer);
  }
  if (event.duplicateOf) parts.push('duplicate');
  if (event.deliveryCount > 1) parts.push(`×${event.deliveryCount}`);
  if (event.origin && event.origin !== 'network') parts.push(originMark(event));
  if (event.persisted === false) parts.push('not persisted');
  parts.push(groupOf(event).label);
  return parts.join(' · ');
}

/** How a synthetic event is marked on its row: "replay", "edited replay", "sample", "sandbox". */
function originMark(event: WebhookEvent): string {
  return event.origin === 'replay' && event.replayEdited ? 'edited replay' : (event.origin ?? '');
}

export interface EventFilter {
  sources?: EventSource[];
  verification?: VerificationStatus[];
  /** What was typed in the filter box (`status:5xx path:/hooks 0_abc`), parsed once. */
  query?: EventQuery;
}

export function isFilterActive(filter: EventFilter): boolean {
  return Boolean(filter.sources?.length || filter.verification?.length || filter.query?.terms.length);
}

export function matchesFilter(event: WebhookEvent, filter: EventFilter): boolean {
  if (filter.sources?.length && !filter.sources.includes(event.source)) return false;
  if (filter.verification?.length && !filter.verification.includes(event.verification.status)) return false;
  if (filter.query && !matchesQuery(event, filter.query)) return false;
  return true;
}

export function describeFilter(filter: EventFilter): string {
  const parts: string[] = [];
  if (filter.sources?.length) parts.push(`source: ${filter.sources.join(', ')}`);
  if (filter.verification?.length) parts.push(`verification: ${filter.verification.join(', ')}`);
  if (filter.query?.terms.length) parts.push(`"${filter.query.source}"`);
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
