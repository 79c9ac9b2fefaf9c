// The extension's core (dist/core.js), loaded by the activation bundle (extension.ts) on first use: a command, or
// one of the views becoming visible. Builds the workbench, the real tree providers, the status bar and every command
// handler, and hands them to the shell. No awaited I/O here; the store, receiver, sandbox and inspector are created
// on first use.
import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_KEYS } from './vscode/commandIds';
import type { CommandDeps, CommandRegistrar } from './vscode/commands/deps';
import { registerCommands } from './vscode/commands';
import { AutoForwarder } from './vscode/autoForward';
import { DebugForwarding } from './vscode/debugForwarding';
import { EventActions } from './vscode/eventActions';
import { generateHandlerForEvent } from './vscode/handlerStub';
import type { InspectorPanel } from './vscode/inspector/inspectorPanel';
import type { LazyTreeProvider } from './vscode/lazyTree';
import type { WorkbenchLog } from './vscode/log';
import { WorkbenchSecrets } from './vscode/secrets';
import { onSettingsChanged } from './vscode/settings';
import { WorkbenchStatusBar } from './vscode/statusBar';
import { RefreshScheduler } from './vscode/views/refreshScheduler';
import { REQUEST_SCHEME, RequestDocuments } from './vscode/requestDocuments';
import { TEMPLATE_SCHEME, TemplateDocuments } from './vscode/templateDocuments';
import { RAW_REQUEST_SCHEME, RawRequestDocuments } from './vscode/rawRequestDocuments';
import { ConnectionTreeProvider } from './vscode/views/connectionTree';
import { EVENTS_VIEW_MODE_KEY, EventsTreeProvider } from './vscode/views/eventsTree';
import { TemplatesTreeProvider } from './vscode/views/templatesTree';
import { Workbench } from './vscode/workbench';

/** What the activation bundle made before the core was loaded. */
export interface CoreShell {
  context: vscode.ExtensionContext;
  log: WorkbenchLog;
  /** The views' providers, waiting for the real ones. */
  trees: { events: LazyTreeProvider<unknown>; templates: LazyTreeProvider<unknown>; connection: LazyTreeProvider<unknown> };
  views: { events: vscode.TreeView<unknown>; templates: vscode.TreeView<unknown>; connection: vscode.TreeView<unknown> };
  /** Where command handlers go: the shell registered every command id at activation and calls them from there. */
  registerCommand: CommandRegistrar;
}

export interface Core {
  workbench: Workbench;
  /** A debug session started or ended (the shell listens; sessions with kalturaWebhooksForwardTo forward while they run). */
  debugSessionStarted(session: vscode.DebugSession): void;
  debugSessionEnded(session: vscode.DebugSession): void;
  /** Window close: stop the receiver and clean up registered templates (per kalturaWebhooks.cleanupPolicy). */
  deactivate(): Promise<void>;
}

export function startCore(shell: CoreShell): Core {
  const { context, log } = shell;
  const secrets = new WorkbenchSecrets(context.secrets);
  const autoForward = new AutoForwarder(log);
  const workbench = new Workbench(context, secrets, log, autoForward);
  context.subscriptions.push(workbench);

  // One redraw window for the three places that show the store: events tree, connection view, status bar.
  const refreshes = new RefreshScheduler();
  context.subscriptions.push(refreshes);
  const eventsTree = new EventsTreeProvider(() => workbench.store, refreshes);
  eventsTree.setView(shell.views.events as vscode.TreeView<never>);
  eventsTree.setMode(context.workspaceState.get(EVENTS_VIEW_MODE_KEY) === 'list' ? 'list' : 'grouped');
  const templatesTree = new TemplatesTreeProvider(workbench, log);
  const connectionTree = new ConnectionTreeProvider(workbench, refreshes);
  shell.trees.events.attach(eventsTree as vscode.TreeDataProvider<unknown>);
  shell.trees.templates.attach(templatesTree as vscode.TreeDataProvider<unknown>);
  shell.trees.connection.attach(connectionTree as vscode.TreeDataProvider<unknown>);
  const statusBar = new WorkbenchStatusBar(workbench, refreshes);
  context.subscriptions.push(eventsTree, templatesTree, connectionTree, statusBar);

  let inspector: InspectorPanel | undefined;
  const actions = new EventActions(workbench, log, (event) => generateHandlerForEvent(event, workbench, log));
  // The inspector (panel host, view model, message checks) is evaluated when an event is first opened, as GitLens
  // registers its webviews: a bundled dynamic import runs the module's code on first use only.
  let loadingInspector: Promise<InspectorPanel> | undefined;
  const getInspector = (): Promise<InspectorPanel> =>
    (loadingInspector ??= import('./vscode/inspector/inspectorPanel').then(({ InspectorPanel }) => {
      const panel = new InspectorPanel(context.extensionUri, {
        getEvent: (id) => workbench.store.get(id),
        deliveriesOf: (id) => workbench.store.deliveriesOf(id),
        runAction: (action, id) => actions.run(action, id),
      }, log);
      context.subscriptions.push(panel);
      inspector = panel;
      return panel;
    }));

  // One subscription to the current store: a replaced store's is disposed with it, not kept until the window closes.
  let storeSubscription: vscode.Disposable | undefined;
  context.subscriptions.push({ dispose: () => storeSubscription?.dispose() });
  context.subscriptions.push(
    workbench.onDidReplaceStore((store) => {
      eventsTree.attach(store);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasEvents, store.size > 0);
      storeSubscription?.dispose();
      storeSubscription = store.onChange((change) => {
        void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasEvents, store.size > 0);
        if (change.added.some((e) => e.origin === 'network' && (e.source === 'kaltura' || e.source === 'kaltura-legacy'))) {
          void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.receivedKalturaEvent, true);
        }
        inspector?.refresh([...change.updated, ...change.added].map((e) => e.id));
      });
    }),
  );

  const templateDocs = new TemplateDocuments(workbench, log, context.globalStorageUri, () => void templatesTree.refresh());
  context.subscriptions.push(templateDocs, vscode.workspace.registerFileSystemProvider(TEMPLATE_SCHEME, templateDocs, { isCaseSensitive: true }));
  const requests = new RequestDocuments(workbench, log);
  context.subscriptions.push(requests, vscode.workspace.registerFileSystemProvider(REQUEST_SCHEME, requests, { isCaseSensitive: true }));
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RAW_REQUEST_SCHEME, new RawRequestDocuments((id) => workbench.store.get(id))),
  );

  const deps: CommandDeps = {
    context,
    workbench,
    log,
    secrets,
    eventsTree,
    templatesTree,
    inspector: getInspector,
    inspectedEventId: () => inspector?.currentEventId,
    actions,
    requests,
    registerCommand: shell.registerCommand,
  };
  registerCommands(deps);

  context.subscriptions.push(
    onSettingsChanged((settings, e) => {
      if (e.affectsConfiguration('kalturaWebhooks.responseMode')) workbench.setResponseMode(settings.responseMode);
      if (e.affectsConfiguration('kalturaWebhooks.store')) void workbench.applyStoreSettings(settings);
      // A tunnel choice made from the tunnel-failure buttons is applied at once: it needs no restart.
      const tunnelFollowed = workbench.followsTunnelSettings(settings);
      const needsRestart =
        ['port', 'host', 'account'].some((k) => e.affectsConfiguration(`kalturaWebhooks.${k}`)) ||
        (e.affectsConfiguration('kalturaWebhooks.tunnel') && !tunnelFollowed);
      if (needsRestart && workbench.state === 'running') {
        void vscode.window
          .showInformationMessage(vscode.l10n.t('Kaltura Webhooks: restart the receiver to apply the changed settings.'), vscode.l10n.t('Restart'))
          .then(async (c) => {
            if (c !== vscode.l10n.t('Restart')) return;
            await vscode.commands.executeCommand(COMMANDS.stop);
            await vscode.commands.executeCommand(COMMANDS.start);
          });
      }
    }),
  );

  const debugForwarding = new DebugForwarding(workbench, autoForward, log);
  return {
    workbench,
    debugSessionStarted: (session) => debugForwarding.started(session),
    debugSessionEnded: (session) => debugForwarding.ended(session),
    deactivate: () => workbench.shutdown(),
  };
}
