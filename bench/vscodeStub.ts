// A minimal stand-in for the `vscode` module, used ONLY to time activate() of the bundled extension outside VS Code
// (the bench has no extension host). Any API is a callable, constructible, chainable no-op; a few answers that the
// activation path reads as data are real (configuration defaults, the output channel, the subscriptions array).
// This measures the extension's own work; a real host adds its own overhead on top.
import Module from 'node:module';

type Anything = ((...args: unknown[]) => unknown) & Record<string | symbol, unknown>;

export function createVscodeStub(onLogLine: (line: string) => void): unknown {
  const cache = new Map<string, Anything>();
  const make = (path: string): Anything => {
    const cached = cache.get(path);
    if (cached) return cached;
    const target = function stub() {} as unknown as Anything;
    // Assignments (item.text = …, item.name = …) land here, so reads after writes see them.
    const values = new Map<string | symbol, unknown>();
    const proxy: Anything = new Proxy(target, {
      set(_t, prop, value) {
        values.set(prop, value);
        return true;
      },
      get(t, prop) {
        if (values.has(prop)) return values.get(prop);
        if (prop === 'then') return undefined; // not a thenable: `await stub` must not hang
        if (prop === Symbol.toPrimitive) return () => '';
        if (prop === Symbol.iterator) return function* empty() {};
        // Instances (and subclasses' instances) inherit every API name from here.
        if (prop === 'prototype') return path === 'vscode' ? t.prototype : make(`${path}#instance`);
        if (typeof prop === 'symbol') return undefined;
        return make(`${path}.${prop}`);
      },
      apply(_t, _this, args) {
        if (path.endsWith('.getConfiguration')) return configuration();
        if (path.endsWith('.createOutputChannel')) return outputChannel(onLogLine);
        if (path === 'vscode.Uri.joinPath' || path === 'vscode.Uri.file' || path === 'vscode.Uri.parse') return uri(String(args[1] ?? args[0] ?? ''));
        return make(`${path}()`);
      },
      // esbuild's __toESM(require('vscode')) copies own keys and inherits the rest from the prototype: make the
      // prototype answer every name too.
      getPrototypeOf(t) {
        if (path !== 'vscode') return Reflect.getPrototypeOf(t);
        return new Proxy({}, { get: (_o, prop) => (typeof prop === 'string' && prop !== 'then' ? make(`vscode.${prop}`) : undefined) });
      },
      construct(_t, _args, newTarget) {
        // Keep subclass prototypes (class X extends vscode.TreeItem) intact.
        return Reflect.construct(function base() {}, [], newTarget) as object;
      },
    });
    cache.set(path, proxy);
    return proxy;
  };
  return make('vscode');
}

function configuration(): unknown {
  return {
    get: (_key: string, fallback?: unknown) => fallback,
    has: () => false,
    inspect: () => undefined,
    update: async () => undefined,
  };
}

function outputChannel(onLogLine: (line: string) => void): unknown {
  return {
    appendLine: onLogLine,
    append: onLogLine,
    show: () => undefined,
    hide: () => undefined,
    clear: () => undefined,
    dispose: () => undefined,
    info: onLogLine,
    warn: onLogLine,
    error: onLogLine,
  };
}

function uri(path: string): unknown {
  return { scheme: 'file', path, fsPath: path, toString: () => `file://${path}`, with: () => uri(path) };
}

/** Routes require('vscode') to the stub for the rest of this process; returns an undo function. */
export function installVscodeStub(stub: unknown): () => void {
  const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _cache: Record<string, unknown> };
  const original = resolver._resolveFilename;
  const id = '\0kwh-vscode-stub';
  resolver._cache[id] = { id, filename: id, loaded: true, exports: stub };
  resolver._resolveFilename = function resolve(request: string, ...rest: unknown[]) {
    if (request === 'vscode') return id;
    return original.call(this, request, ...rest);
  };
  return () => {
    resolver._resolveFilename = original;
    delete resolver._cache[id];
  };
}
