// A tree view's data provider that the activation bundle hands to VS Code before the core is loaded. The first
// getChildren() (the view became visible) loads the core, which attaches the real provider; from then on every call
// goes to it, and its change events are passed on.
import * as vscode from 'vscode';

type Change<T> = T | T[] | undefined | null | void;

export class LazyTreeProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private target: vscode.TreeDataProvider<T> | undefined;
  private readonly changed = new vscode.EventEmitter<Change<T>>();
  readonly onDidChangeTreeData = this.changed.event;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly load: () => Promise<unknown>) {}

  /** The core's provider; the view is refreshed from the root. */
  attach(target: vscode.TreeDataProvider<T>): void {
    this.subscription?.dispose();
    this.target = target;
    this.subscription = target.onDidChangeTreeData?.((e) => this.changed.fire(e));
    this.changed.fire();
  }

  async getChildren(element?: T): Promise<T[]> {
    if (!this.target) await this.load();
    return (await this.target?.getChildren(element)) ?? [];
  }

  // Elements come from the real provider, so it is attached whenever VS Code asks about one.
  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.target!.getTreeItem(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.target?.getParent?.(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: T, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return this.target?.resolveTreeItem ? this.target.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
