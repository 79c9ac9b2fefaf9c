// Child process of the extension-cost benchmark: loads a bundled extension.js with the vscode stub and calls
// activate(); reports the module load time, the activate() wall time and the extension's own "activated in N ms",
// then the first use: the time to load and start the core through the API activate() returned.
import { createVscodeStub, installVscodeStub } from './vscodeStub';

async function main(): Promise<void> {
  const bundle = process.argv[2]!;
  const lines: string[] = [];
  const stub = createVscodeStub((line) => lines.push(line));
  installVscodeStub(stub);
  const root = `/tmp/kwh-bench-activation-${process.pid}`;
  const fakeUri = (p: string) => ({ scheme: 'file', path: p, fsPath: p, toString: () => `file://${p}` });
  const memento = new Map<string, unknown>();
  const context = {
    subscriptions: [] as Array<{ dispose(): unknown }>,
    extensionUri: fakeUri(process.cwd()),
    extensionPath: process.cwd(),
    globalStorageUri: fakeUri(`${root}/global`),
    storageUri: fakeUri(`${root}/workspace`),
    logUri: fakeUri(`${root}/log`),
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
    globalState: { get: (k: string, d?: unknown) => memento.get(k) ?? d, update: async (k: string, v: unknown) => void memento.set(k, v), keys: () => [...memento.keys()] },
    workspaceState: { get: (k: string, d?: unknown) => memento.get(k) ?? d, update: async (k: string, v: unknown) => void memento.set(k, v), keys: () => [...memento.keys()] },
    asAbsolutePath: (p: string) => p,
  };
  const loadStart = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(bundle) as { activate(ctx: unknown): { core?: () => Promise<unknown> } | undefined };
  const loadMs = performance.now() - loadStart;
  const activateStart = performance.now();
  const api = ext.activate(context);
  const activateMs = performance.now() - activateStart;
  const logged = lines.map((l) => /activated in ([\d.]+) ms/.exec(l)).find(Boolean);
  let coreMs: number | null = null;
  if (api?.core) {
    const coreStart = performance.now();
    await api.core();
    coreMs = performance.now() - coreStart;
  }
  process.send!({ report: { loadMs, activateMs, loggedMs: logged ? Number(logged[1]) : null, coreMs, subscriptions: context.subscriptions.length } }, () => process.exit(0));
}

void main();
