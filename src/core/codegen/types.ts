// The public contract of handler generation: what goes in (an event or a source + type) and what comes out
// (a small set of files to write, one of them the entry the editor opens).
import type { SerializedEvent, WebhookEvent } from '../events/model';

export type CodegenLanguage = 'typescript' | 'python' | 'php';

export type CodegenFramework = 'node-http' | 'express' | 'flask' | 'fastapi' | 'http-server' | 'plain';

/** Sources a stub can be generated for (an `unknown` event has no verification scheme to generate). */
export type CodegenSource = 'kaltura' | 'kaltura-legacy' | 'enablex';

export const frameworksByLanguage: Record<CodegenLanguage, readonly CodegenFramework[]> = {
  typescript: ['node-http', 'express'],
  python: ['flask', 'fastapi', 'http-server'],
  php: ['plain'],
};

export const defaultFramework: Record<CodegenLanguage, CodegenFramework> = {
  typescript: 'node-http',
  python: 'flask',
  php: 'plain',
};

export interface CodegenInput {
  language: CodegenLanguage;
  /** Defaults to node-http (TypeScript), flask (Python), plain (PHP). */
  framework?: CodegenFramework;
  /** A captured event. Either this or `source` is required; the event wins when both are given. */
  event?: WebhookEvent | SerializedEvent;
  /** Generate from a built-in sample instead of a captured event. */
  source?: CodegenSource;
  /** With `source`: e.g. "OBJECT_CHANGED:ENTRY", "entry_add", "recording". Defaults to the source's commonest type. */
  eventType?: string;
  /** Keep the captured string values in the fixture and type comments (default: replaced by placeholders). */
  keepExampleValues?: boolean;
  /** Extra header names (case-insensitive) to drop from the fixture. */
  redactHeaders?: string[];
  /** Secrets the caller knows about; generation fails if any of them would end up in a generated file. */
  knownSecrets?: string[];
}

export type GeneratedFileRole = 'project' | 'handler' | 'fixture' | 'test' | 'readme';

export interface GeneratedFile {
  /** Relative, forward slashes, e.g. "webhookHandler.ts", "fixtures/captured-request.json". */
  path: string;
  contents: string;
  role: GeneratedFileRole;
}

export interface GeneratedFiles {
  files: GeneratedFile[];
  /** Path of the file to open first (the handler). */
  entry: string;
  /** How to run the stub and its test, one command per line (also in the README). */
  commands: { run: string; test: string };
}

/** The dummy secret the fixture is signed with, so the generated test verifies for real without a real secret. */
export const TEST_SECRET = 'test-secret-do-not-use';
export const TEST_BASIC_USER = 'test-user';
export const TEST_BASIC_PASSWORD = 'test-password-do-not-use';

/** Environment variables the generated stubs read their secrets from (never embedded in code). */
export const secretEnvNames = {
  kalturaAdminSecret: 'KALTURA_ADMIN_SECRET',
  /** Comma-separated extra candidates (rotated admin secrets, a configured signSecret). */
  kalturaSecrets: 'KALTURA_SECRETS',
  enablexUser: 'ENABLEX_WEBHOOK_USER',
  enablexPassword: 'ENABLEX_WEBHOOK_PASSWORD',
} as const;

export class CodegenError extends Error {}
