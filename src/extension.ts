// Activation bundle (dist/extension.js): what VS Code needs the moment it activates the extension, and nothing else:
// every command id, the three views, the output channel, and a look at each debug session's configuration. VS Code counts loading this file plus activate() as the
// activation time, so the core (workbench, store, receiver, sandbox, Kaltura client, inspector: dist/core.js) is
// loaded on first use, when a command runs or a view becomes visible and asks for its items.
import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_KEYS, VIEWS } from './vscode/commandIds';
import type { CommandHandler } from './vscode/commands/deps';
import { debugForwardTarget } from './vscode/debugForwardTarget';
import { LazyTreeProvider } from './vscode/lazyTree';
import { WorkbenchLog } from './vscode/log';
import type { Core, CoreShell } from './extensionCore';

/** The core bundle, next to this one in dist/ (esbuild leaves the require alone: it is external). */
const CORE_BUNDLE = './core.js';

let loaded: Core | undefined;

/** What tests in an extension host can reach (`vscode.extensions.getExtension(...).exports`). */
export interface WorkbenchExtensionApi {
  /** Loads the core if it is not loaded yet. */
  core(): Promise<Core>;
}

export function activate(context: vscode.ExtensionContext): WorkbenchExtensionApi {
  const started = performance.now();
  const log = new WorkbenchLog();
  context.subscriptions.push(log);
  const handlers = new Map<string, CommandHandler>();

  let core: Promise<Core> | undefined;
  const load = (): Promise<Core> =>
    (core ??= Promise.resolve().then(() => {
      const loadStarted = performance.now();
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { startCore } = require(CORE_BUNDLE) as typeof import('./extensionCore');
        loaded = startCore(shell);
        log.info(`core loaded in ${(performance.now() - loadStarted).toFixed(1)} ms`);
        return loaded;
      } catch (err) {
        log.error('the extension core did not load', err);
        throw err;
      }
    }));

  const trees: CoreShell['trees'] = {
    events: new LazyTreeProvider(load),
    templates: new LazyTreeProvider(load),
    connection: new LazyTreeProvider(load),
  };
  const views: CoreShell['views'] = {
    events: vscode.window.createTreeView(VIEWS.events, { treeDataProvider: trees.events, showCollapseAll: true }),
    templates: vscode.window.createTreeView(VIEWS.templates, { treeDataProvider: trees.templates }),
    connection: vscode.window.createTreeView(VIEWS.connection, { treeDataProvider: trees.connection }),
  };
  context.subscriptions.push(...Object.values(trees), ...Object.values(views));
  const shell: CoreShell = {
    context,
    log,
    trees,
    views,
    registerCommand(id, handler) {
      handlers.set(id, handler);
      return { dispose: () => handlers.delete(id) };
    },
  };

  for (const id of Object.values(COMMANDS)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        await load();
        const handler = handlers.get(id);
        if (!handler) throw new Error(vscode.l10n.t('{0} has no handler in this build', id));
        return handler(...args);
      }),
    );
  }

  // A launch configuration with kalturaWebhooksForwardTo loads the core; other sessions cost nothing (onDebug activates
  // this bundle, not the core).
  context.subscriptions.push(
    vscode.debug.onDidStartDebugSession((session) => {
      if (debugForwardTarget(session.configuration)) void load().then((c) => c.debugSessionStarted(session));
    }),
    vscode.debug.onDidTerminateDebugSession((session) => loaded?.debugSessionEnded(session)),
  );

  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, false);
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms (VS Code ${vscode.version})`);
  return { core: load };
}

/** Window close: the core (if it was loaded) stops the receiver and cleans up registered templates. */
export async function deactivate(): Promise<void> {
  const core = loaded;
  loaded = undefined;
  await core?.deactivate();
}
