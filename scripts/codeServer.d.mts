// Types for scripts/codeServer.mjs, so the TypeScript e2e harness can import it under `strict`.
import type { ChildProcess } from 'node:child_process';

export interface CodeServerRelease {
  version: string;
  /** The VS Code release it bundles. */
  vscode: string;
  nodeMajor: string;
}
export declare const CODE_SERVER_RELEASES: Record<'newest' | 'floor', CodeServerRelease>;
export declare function codeServerRelease(): CodeServerRelease & { name: string };
export declare function serverNode(): string;
export declare function cacheRoot(): string;
export declare function codeServerDir(): string;
export declare function codeServerBin(): string;
export declare function isCodeServerInstalled(): boolean;
export declare function missingPrerequisites(): string | null;
export declare function which(cmd: string): string | null;
export declare function ensureCodeServer(): Promise<string>;
export declare const quietSettings: Record<string, unknown>;
export declare function writeUserSettings(userDataDir: string, extra?: Record<string, unknown>): string;

export interface CodeServerDirs {
  userDataDir?: string;
  extensionsDir?: string;
  env?: Record<string, string>;
}
export declare function installVsix(vsixPath: string, dirs?: CodeServerDirs): string;

export interface StartCodeServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  userDataDir?: string;
  extensionsDir?: string;
  workspace?: string;
  env?: Record<string, string>;
  /** Appends code-server's stdout/stderr here. */
  logFile?: string;
  timeoutMs?: number;
}
export interface RunningCodeServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
  output(): string;
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
}
export declare function startCodeServer(options?: StartCodeServerOptions): Promise<RunningCodeServer>;
