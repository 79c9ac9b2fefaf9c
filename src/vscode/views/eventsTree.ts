// The Events view: source → group → event, or (list mode) every request newest first, like ngrok's inspector. Grouping maps are updated incrementally from the store's batched
// changes and the tree is refreshed at most once per refresh window (views/refreshScheduler.ts), so 10,000 events never cause a rebuild per event.
import * as vscode from 'vscode';
import type { EventSource, WebhookEvent } from '../../core/events/model';
import type { EventStoreApi, StoreChange } from '../../core/events/storeTypes';
import { clockTime } from '../clockTime';
import { Disposable, MutableDisposable } from '../disposable';
import type { RefreshScheduler } from './refreshScheduler';
import { COMMANDS, CONTEXT_KEYS } from '../commandIds';
import {
  describeFilter,
  eventRowDescription,
  eventRowLabel,
  groupOf,
  listRowDescription,
  listRowLabel,
  isFilterActive,
  matchesFilter,
  SOURCE_LABELS,
  type EventFilter,
  type GroupKey,
} from './eventGrouping';

/** Events listed per group; older ones are summarised in a "… more" node (the filter reaches them). */
const MAX_EVENTS_PER_GROUP = 500;
const AUTO_EXPAND_LIMIT = 200;
/** Rows of the flat list; older ones are summarised in one "… more" row (the filter reaches them). */
const MAX_LIST_ROWS = 1000;
const AGE_REFRESH_MS = 30_000;
const SOURCE_ORDER: EventSource[] = ['kaltura', 'kaltura-legacy', 'enablex', 'unknown'];

export interface SourceNode {
  kind: 'source';
  source: EventSource;
  groups: Map<string, GroupNode>;
}
export interface GroupNode {
  kind: 'group';
  parent: SourceNode;
  group: GroupKey;
  /** Insertion-ordered (oldest first) ids; a Map so eviction is O(1). */
  ids: Map<string, true>;
  /** When the group last got an event (a counter): groups are listed newest first. */
  lastSeen: number;
}
export interface EventNode {
  kind: 'event';
  id: string;
  /** Absent in list mode, where events are top-level rows. */
  parent?: GroupNode;
}
export interface MoreNode {
  kind: 'more';
  parent?: GroupNode;
  hidden: number;
}
export type EventsViewMode = 'grouped' | 'list';
/** The workspace remembers the mode the user picked. */
export const EVENTS_VIEW_MODE_KEY = 'kalturaWebhooks.eventsViewMode';
export type EventsTreeNode = SourceNode | GroupNode | EventNode | MoreNode;

export class EventsTreeProvider extends Disposable implements vscode.TreeDataProvider<EventsTreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<EventsTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sources = new Map<EventSource, SourceNode>();
  private readonly groupOfEvent = new Map<string, GroupNode>();
  /** Every indexed id, oldest first (the list mode's rows). */
  private readonly order = new Map<string, true>();
  private mode: EventsViewMode = 'grouped';
  private listCache: string[] | undefined;
  /** Counts events indexed, to order groups by their newest event. */
  private seen = 0;
  private store: EventStoreApi | undefined;
  private readonly storeSubscription = this.register(new MutableDisposable());
  private readonly refresh = () => this.fire();
  private filter: EventFilter = {};
  private view: vscode.TreeView<EventsTreeNode> | undefined;

  /** `ensureStore` creates the store the first time the view asks for its children (lazy activation). */
  constructor(
    private readonly ensureStore: () => EventStoreApi,
    private readonly scheduler: RefreshScheduler,
  ) {
    super();
  }

  /** Switches to another store (or none), indexing what it already holds. */
  attach(store: EventStoreApi | undefined): void {
    this.storeSubscription.value = undefined;
    this.store = store;
    this.sources.clear();
    this.groupOfEvent.clear();
    this.order.clear();
    if (store) {
      this.index(store.all());
      this.storeSubscription.value = store.onChange((change) => this.apply(change));
    }
    this.scheduleRefresh(true);
  }

  setView(view: vscode.TreeView<EventsTreeNode>): void {
    this.view = view;
    this.updateViewMessage();
    // Ages ("12s ago") go stale; re-render while the view is visible, twice a minute at most.
    const ageTimer = setInterval(() => {
      if (view.visible && (this.store?.size ?? 0) > 0) this.scheduleRefresh(false);
    }, AGE_REFRESH_MS);
    this.register({ dispose: () => clearInterval(ageTimer) });
  }

  getFilter(): EventFilter {
    return this.filter;
  }

  getMode(): EventsViewMode {
    return this.mode;
  }

  setMode(mode: EventsViewMode): void {
    this.mode = mode;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.eventsList, mode === 'list');
    this.scheduleRefresh(true);
  }

  setFilter(filter: EventFilter): void {
    this.filter = filter;
    this.clearCaches();
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.eventFilterActive, isFilterActive(filter));
    this.scheduleRefresh(true);
  }

  private index(events: WebhookEvent[]): void {
    for (const event of events) {
      const key = groupOf(event);
      let source = this.sources.get(key.source);
      if (!source) {
        source = { kind: 'source', source: key.source, groups: new Map() };
        this.sources.set(key.source, source);
      }
      let group = source.groups.get(key.key);
      if (!group) {
        group = { kind: 'group', parent: source, group: key, ids: new Map(), lastSeen: 0 };
        source.groups.set(key.key, group);
      }
      // The newest event names the group: a renamed template shows its new name.
      group.group = key;
      group.lastSeen = ++this.seen;
      group.ids.set(event.id, true);
      this.groupOfEvent.set(event.id, group);
      this.order.set(event.id, true);
    }
  }

  private apply(change: StoreChange): void {
    this.clearCaches();
    if (change.cleared) {
      this.sources.clear();
      this.groupOfEvent.clear();
      this.order.clear();
    }
    for (const id of change.evicted) {
      this.order.delete(id);
      const group = this.groupOfEvent.get(id);
      if (!group) continue;
      group.ids.delete(id);
      this.groupOfEvent.delete(id);
      if (group.ids.size === 0) {
        group.parent.groups.delete(group.group.key);
        if (group.parent.groups.size === 0) this.sources.delete(group.parent.source);
      }
    }
    this.index(change.added);
    this.scheduleRefresh(false);
  }

  private scheduleRefresh(now: boolean): void {
    if (now) this.scheduler.now(this.refresh);
    else this.scheduler.schedule(this.refresh);
  }

  private clearCaches(): void {
    this.visibleCache.clear();
    this.listCache = undefined;
  }

  private fire(): void {
    this.clearCaches();
    this.changed.fire(undefined);
    this.updateViewMessage();
  }

  private updateViewMessage(): void {
    if (!this.view) return;
    const total = this.store?.size ?? 0;
    // A badge, not the view description: the description would change the pane header's accessible name.
    this.view.badge = total ? { value: total, tooltip: `${total} webhook event${total === 1 ? '' : 's'}` } : undefined;
    if (!isFilterActive(this.filter)) {
      this.view.message = undefined;
      return;
    }
    let shown = 0;
    if (this.mode === 'list') shown = this.listIds().length;
    else for (const source of this.sources.values()) for (const group of source.groups.values()) shown += this.visibleIds(group).length;
    this.view.message = `Filter: ${describeFilter(this.filter)} (${shown} of ${total} event${total === 1 ? '' : 's'} shown)`;
  }

  // The filtered ids of each group, computed once per refresh: the root, the source nodes, the counts in the
  // descriptions and the view message all ask for them.
  private readonly visibleCache = new Map<GroupNode, string[]>();

  private visibleIds(group: GroupNode): string[] {
    const cached = this.visibleCache.get(group);
    if (cached) return cached;
    let ids = [...group.ids.keys()];
    if (isFilterActive(this.filter) && this.store) {
      ids = ids.filter((id) => {
        const e = this.store!.get(id);
        return e !== undefined && matchesFilter(e, this.filter);
      });
    }
    this.visibleCache.set(group, ids);
    return ids;
  }

  /** The list mode's ids, newest first, filtered; computed once per refresh. */
  private listIds(): string[] {
    if (this.listCache) return this.listCache;
    let ids = [...this.order.keys()].reverse();
    if (isFilterActive(this.filter) && this.store) {
      ids = ids.filter((id) => {
        const e = this.store!.get(id);
        return e !== undefined && matchesFilter(e, this.filter);
      });
    }
    return (this.listCache = ids);
  }

  getChildren(node?: EventsTreeNode): EventsTreeNode[] {
    if (!this.store) this.ensureStore(); // fires onDidReplaceStore → attach()
    if (!node && this.mode === 'list') {
      const ids = this.listIds();
      const rows: EventsTreeNode[] = ids.slice(0, MAX_LIST_ROWS).map((id) => ({ kind: 'event', id }));
      if (ids.length > MAX_LIST_ROWS) rows.push({ kind: 'more', hidden: ids.length - MAX_LIST_ROWS });
      return rows;
    }
    if (!node) {
      return SOURCE_ORDER.map((s) => this.sources.get(s))
        .filter((s): s is SourceNode => s !== undefined)
        .filter((s) => !isFilterActive(this.filter) || [...s.groups.values()].some((g) => this.visibleIds(g).length > 0));
    }
    if (node.kind === 'source') {
      const groups = [...node.groups.values()].sort((a, b) => b.lastSeen - a.lastSeen);
      return isFilterActive(this.filter) ? groups.filter((g) => this.visibleIds(g).length > 0) : groups;
    }
    if (node.kind === 'group') {
      const ids = [...this.visibleIds(node)].reverse(); // newest first (a copy: the cached list stays in order)
      const shown: EventsTreeNode[] = ids.slice(0, MAX_EVENTS_PER_GROUP).map((id) => ({ kind: 'event', id, parent: node }));
      if (ids.length > MAX_EVENTS_PER_GROUP) shown.push({ kind: 'more', parent: node, hidden: ids.length - MAX_EVENTS_PER_GROUP });
      return shown;
    }
    return [];
  }

  getParent(node: EventsTreeNode): EventsTreeNode | undefined {
    return node.kind === 'source' ? undefined : node.parent;
  }

  getTreeItem(node: EventsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'source': {
        // With a filter on, the counts are of the events shown, so they agree with what the tree lists.
        const count = [...node.groups.values()].reduce((n, g) => n + this.visibleIds(g).length, 0);
        const item = new vscode.TreeItem(SOURCE_LABELS[node.source], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `source:${node.source}`;
        item.description = String(count);
        item.contextValue = 'eventSource';
        item.iconPath = new vscode.ThemeIcon(node.source === 'enablex' ? 'device-camera-video' : node.source === 'unknown' ? 'question' : 'broadcast');
        return item;
      }
      case 'group': {
        // Small groups open by default; with many events the groups start collapsed so the tree stays scannable.
        const expand = (this.store?.size ?? 0) <= AUTO_EXPAND_LIMIT;
        const item = new vscode.TreeItem(node.group.label, expand ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `group:${node.parent.source}:${node.group.key}`;
        item.description = [node.group.description, `${this.visibleIds(node).length}`].filter(Boolean).join(' · ');
        item.contextValue = 'eventGroup';
        item.iconPath = new vscode.ThemeIcon('symbol-event');
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`… ${node.hidden} older events (use the filter to find them)`);
        item.id = node.parent ? `more:${node.parent.parent.source}:${node.parent.group.key}` : 'more:list';
        item.contextValue = 'eventMore';
        item.command = { command: COMMANDS.filterEvents, title: 'Filter Events' };
        return item;
      }
      case 'event':
        return this.eventItem(node);
    }
  }

  private eventItem(node: EventNode): vscode.TreeItem {
    const event = this.store?.get(node.id);
    if (!event) {
      const gone = new vscode.TreeItem('(event no longer in memory)');
      gone.id = `event:${node.id}`;
      return gone;
    }
    const listed = node.parent === undefined;
    const item = new vscode.TreeItem(listed ? listRowLabel(event, clockTime(new Date(event.receivedAt))) : eventRowLabel(event));
    item.id = `${listed ? 'row' : 'event'}:${event.id}`;
    const v = event.verification.status;
    item.description = listed ? listRowDescription(event) : eventRowDescription(event);
    item.iconPath =
      v === 'verified'
        ? new vscode.ThemeIcon(event.duplicateOf ? 'copy' : 'pass', new vscode.ThemeColor('testing.iconPassed'))
        : v === 'failed'
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
          : new vscode.ThemeIcon(event.duplicateOf ? 'copy' : 'circle-large-outline');
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.appendText(`${event.summary}\n${event.type}\n`);
    tooltip.appendText(`${event.request.method} ${event.request.path}\n`);
    tooltip.appendText(`Received ${new Date(event.receivedAt).toLocaleString()}\n`);
    tooltip.appendText(`Verification: ${v}${event.verification.reason ? ` (${event.verification.reason})` : ''}\n`);
    if (event.response && event.response.status > 0) tooltip.appendText(`Answered ${event.response.status}\n`);
    if (event.forward) {
      const f = event.forward;
      tooltip.appendText(`Forwarded to ${f.url}: ${f.error ?? f.status}${f.durationMs !== undefined ? ` in ${Math.round(f.durationMs)} ms` : ''}\n`);
    }
    if (event.duplicateOf) tooltip.appendText(`Duplicate of ${event.duplicateOf}\n`);
    if (event.problems.length) tooltip.appendText(`Problems: ${event.problems.join('; ')}`);
    item.tooltip = tooltip;
    item.contextValue = ['event', v, event.duplicateOf ? 'duplicate' : ''].filter(Boolean).join(' ');
    item.command = { command: COMMANDS.openEvent, title: 'Open in Payload Inspector', arguments: [event.id] };
    return item;
  }

}
