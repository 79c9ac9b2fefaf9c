// Extension entry: build the pieces, register them, return. No awaited I/O here; the store, receiver, sandbox and
// inspector are created on first use. Activation time is logged as "activated in N ms" (the bench reads it).
import * as vscode from 'vscode';
import { CONTEXT_KEYS, VIEWS } from './vscode/commandIds';
import { registerAccountCommands } from './vscode/commands/account';
import { registerEnablexCommands } from './vscode/commands/enablex';
import { registerEventCommands } from './vscode/commands/events';
import { registerLifecycleCommands } from './vscode/commands/lifecycle';
import { registerTemplateCommands } from './vscode/commands/templates';
import type { CommandDeps } from './vscode/commands/deps';
import { AutoForwarder } from './vscode/autoForward';
import { EventActions } from './vscode/eventActions';
import { generateHandlerForEvent } from './vscode/handlerStub';
import { InspectorPanel } from './vscode/inspector/inspectorPanel';
import { WorkbenchLog } from './vscode/log';
import { WorkbenchSecrets } from './vscode/secrets';
import { onSettingsChanged } from './vscode/settings';
import { WorkbenchStatusBar } from './vscode/statusBar';
import { TEMPLATE_SCHEME, TemplateDocuments } from './vscode/templateDocuments';
import { RAW_REQUEST_SCHEME, RawRequestDocuments } from './vscode/rawRequestDocuments';
import { ConnectionTreeProvider } from './vscode/views/connectionTree';
import { EventsTreeProvider } from './vscode/views/eventsTree';
import { TemplatesTreeProvider } from './vscode/views/templatesTree';
import { Workbench } from './vscode/workbench';

let running: Workbench | undefined;

/** What tests in an extension host can reach (`vscode.extensions.getExtension(...).exports`). */
export interface WorkbenchExtensionApi {
  workbench: Workbench;
}

export function activate(context: vscode.ExtensionContext): WorkbenchExtensionApi {
  const started = performance.now();
  const log = new WorkbenchLog();
  context.subscriptions.push(log);
  const secrets = new WorkbenchSecrets(context.secrets);
  const workbench = new Workbench(context, secrets, log);
  running = workbench;
  context.subscriptions.push(workbench);

  const eventsTree = new EventsTreeProvider(() => workbench.store);
  const eventsView = vscode.window.createTreeView(VIEWS.events, { treeDataProvider: eventsTree, showCollapseAll: true });
  eventsTree.setView(eventsView);
  const templatesTree = new TemplatesTreeProvider(workbench, log);
  const connectionTree = new ConnectionTreeProvider(workbench);
  const statusBar = new WorkbenchStatusBar(workbench);
  const autoForward = new AutoForwarder(log);
  context.subscriptions.push(
    eventsTree,
    eventsView,
    templatesTree,
    connectionTree,
    statusBar,
    autoForward,
    vscode.window.createTreeView(VIEWS.templates, { treeDataProvider: templatesTree }),
    vscode.window.createTreeView(VIEWS.connection, { treeDataProvider: connectionTree }),
  );

  let inspector: InspectorPanel | undefined;
  const actions = new EventActions(workbench, log, (event) => generateHandlerForEvent(event, workbench, log));
  const getInspector = (): InspectorPanel => {
    if (!inspector) {
      inspector = new InspectorPanel(context.extensionUri, {
        getEvent: (id) => workbench.store.get(id),
        deliveriesOf: (id) => workbench.store.deliveriesOf(id),
        runAction: (action, id) => actions.run(action, id),
      }, log);
      context.subscriptions.push(inspector);
    }
    return inspector;
  };

  context.subscriptions.push(
    workbench.onDidReplaceStore((store) => {
      eventsTree.attach(store);
      statusBar.watch(store);
      autoForward.attach(store);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasEvents, store.size > 0);
      const sub = store.onChange((change) => {
        void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasEvents, store.size > 0);
        if (change.added.some((e) => e.origin === 'network' && (e.source === 'kaltura' || e.source === 'kaltura-legacy'))) {
          void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.receivedKalturaEvent, true);
        }
        inspector?.refresh([...change.updated, ...change.added].map((e) => e.id));
      });
      context.subscriptions.push(sub);
    }),
  );

  const templateDocs = new TemplateDocuments(workbench, log, context.globalStorageUri, () => void templatesTree.refresh());
  context.subscriptions.push(templateDocs, vscode.workspace.registerFileSystemProvider(TEMPLATE_SCHEME, templateDocs, { isCaseSensitive: true }));
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RAW_REQUEST_SCHEME, new RawRequestDocuments((id) => workbench.store.get(id))),
  );

  const deps: CommandDeps = { context, workbench, log, secrets, eventsTree, templatesTree, inspector: getInspector, actions };
  registerLifecycleCommands(deps);
  registerAccountCommands(deps);
  registerTemplateCommands(deps);
  registerEventCommands(deps);
  registerEnablexCommands(deps);

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
          .showInformationMessage('Kaltura Webhooks: restart the receiver to apply the changed settings.', 'Restart')
          .then(async (c) => {
            if (c !== 'Restart') return;
            await vscode.commands.executeCommand('kalturaWebhooks.stop');
            await vscode.commands.executeCommand('kalturaWebhooks.start');
          });
      }
    }),
  );

  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, false);
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms (VS Code ${vscode.version})`);
  return { workbench };
}

/** Window close: stop the receiver and clean up registered templates (per kalturaWebhooks.cleanupPolicy). */
export async function deactivate(): Promise<void> {
  const workbench = running;
  running = undefined;
  await workbench?.shutdown();
}
