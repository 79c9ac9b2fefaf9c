// generateHandler: a captured event (or a source + type) in, a runnable handler stub with its types, a redacted
// fixture, a matching test and a README out. Pure: returns file contents; writing them is the caller's job.
import { routePath } from './literals';
import { z } from 'zod';
import { captureFromInput, type CodegenCapture } from './captureInput';
import { prepareCapture } from './fixture';
import { buildTypeModel, pascalCase } from './inferTypes';
import { describe, type StubContext } from './templates/context';
import { phpFiles } from './templates/php';
import { pythonFiles } from './templates/python';
import { readmeFile } from './templates/readme';
import { typescriptFiles } from './templates/typescript';
import {
  CodegenError,
  defaultFramework,
  frameworksByLanguage,
  type CodegenFramework,
  type CodegenInput,
  type CodegenLanguage,
  type GeneratedFile,
  type GeneratedFiles,
} from './types';

const optionsSchema = z.object({
  language: z.enum(['typescript', 'python', 'php']),
  framework: z.enum(['node-http', 'express', 'flask', 'fastapi', 'http-server', 'plain']).optional(),
  source: z.enum(['kaltura', 'kaltura-legacy', 'enablex']).optional(),
  eventType: z.string().min(1).optional(),
  keepExampleValues: z.boolean().optional(),
  redactHeaders: z.array(z.string()).optional(),
  knownSecrets: z.array(z.string()).optional(),
});

function resolveFramework(language: CodegenLanguage, framework: CodegenFramework | undefined): CodegenFramework {
  if (framework === undefined) return defaultFramework[language];
  if (!frameworksByLanguage[language].includes(framework)) {
    throw new CodegenError(
      `framework "${framework}" is not available for ${language}; choose one of: ${frameworksByLanguage[language].join(', ')}`,
    );
  }
  return framework;
}

function rootTypeName(capture: CodegenCapture, format: string): string {
  if (capture.source === 'kaltura-legacy') return 'KalturaLegacyNotification';
  if (capture.source === 'enablex') return `EnableX${pascalCase(capture.eventType)}Event`;
  switch (format) {
    case 'fields':
      return 'KalturaNotificationFields';
    case 'text':
      return 'KalturaNotificationText';
    case 'empty':
      return 'KalturaEmptyNotification';
    default:
      return 'KalturaHttpNotification';
  }
}

/** Kept in sync with the file names the templates write. */
const entries: Record<CodegenLanguage, { entry: string; run: string; test: string }> = {
  typescript: {
    entry: 'webhookHandler.ts',
    run: 'npm install && KALTURA_ADMIN_SECRET=... npm start',
    test: 'npm test',
  },
  python: {
    entry: 'webhook_handler.py',
    run: 'KALTURA_ADMIN_SECRET=... python3 webhook_handler.py',
    test: 'python3 -m unittest -v',
  },
  php: {
    entry: 'webhook_handler.php',
    run: 'KALTURA_ADMIN_SECRET=... php -S 0.0.0.0:8000 webhook_handler.php',
    test: 'php webhook_handler_test.php',
  },
};

function runCommand(language: CodegenLanguage, source: CodegenCapture['source']): string {
  const env = source === 'enablex' ? 'ENABLEX_WEBHOOK_USER=... ENABLEX_WEBHOOK_PASSWORD=...' : 'KALTURA_ADMIN_SECRET=...';
  return entries[language].run.replace('KALTURA_ADMIN_SECRET=...', env);
}

/** Secrets must never reach generated code; a known one found in any file aborts generation. */
function assertNoSecrets(files: GeneratedFile[], secrets: string[]): void {
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to search for without false alarms
    const hit = files.find((f) => f.contents.includes(secret));
    if (hit) {
      throw new CodegenError(
        `${hit.path} would contain a configured secret (it appears in the captured request). ` +
          'Generate without keeping example values, or remove the secret from the capture.',
      );
    }
  }
}

export function generateHandler(input: CodegenInput): GeneratedFiles {
  const parsed = optionsSchema.safeParse({ ...input, event: undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodegenError(`invalid codegen options: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  const language = input.language;
  const framework = resolveFramework(language, input.framework);
  const capture = captureFromInput(input);
  const keepExampleValues = input.keepExampleValues ?? false;
  const prepared = prepareCapture(capture, { keepExampleValues, redactHeaders: input.redactHeaders ?? [] });
  const model = buildTypeModel(prepared.payloads, rootTypeName(capture, prepared.format));
  const ctx: StubContext = {
    source: capture.source,
    framework,
    eventType: capture.eventType,
    path: routePath(capture.path),
    format: prepared.format,
    model,
    keepExampleValues,
    origin: capture.fromSample ? 'a built-in sample' : 'a captured request',
    fixtureJson: JSON.stringify(prepared.fixture, null, 2) + '\n',
  };
  const files =
    language === 'typescript' ? typescriptFiles(ctx) : language === 'python' ? pythonFiles(ctx) : phpFiles(ctx);
  const commands = { run: runCommand(language, capture.source), test: entries[language].test };
  files.push(readmeFile(ctx, language, files, commands, describe(ctx)));
  assertNoSecrets(files, input.knownSecrets ?? []);
  return { files, entry: entries[language].entry, commands };
}
