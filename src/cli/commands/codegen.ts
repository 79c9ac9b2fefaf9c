// `kwh codegen`: writes a handler stub (TypeScript, Python or PHP) for a captured event or a built-in sample,
// with its types, a redacted fixture, a matching test and a README.
import { terminalJson, writeOut } from '../terminalOutput';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { flag, listOption, optionHelp, parseArgs, stringOption, UsageError, type OptionSpecs } from '../args';
import type { CliCommand } from '../main';
import {
  CodegenError,
  frameworksByLanguage,
  generateHandler,
  parseSerializedEvent,
  secretEnvNames,
  writeGeneratedFiles,
  type CodegenFramework,
  type CodegenLanguage,
  type CodegenSource,
} from '../../core/codegen';
import type { SerializedEvent } from '../../core/events/model';

const specs: OptionSpecs = {
  lang: { value: true, description: 'typescript | python | php' },
  framework: { value: true, description: 'typescript: node-http (default) | express; python: flask (default) | fastapi | http-server; php: plain' },
  event: { value: true, description: 'a captured event: one line of `kwh listen --json` output, or an exported event (JSON)' },
  source: { value: true, description: 'without --event: kaltura | kaltura-legacy | enablex (generate from a built-in sample)' },
  type: { value: true, description: 'with --source: e.g. OBJECT_CHANGED:ENTRY, entry_add, recording' },
  out: { value: true, description: 'folder to write the files to (created if missing)' },
  'keep-example-values': { description: 'keep the captured string values in the fixture and type comments (default: placeholders)' },
  'redact-header': { value: true, repeat: true, description: 'also drop this header from the fixture (repeatable)' },
  force: { description: 'overwrite existing files in --out' },
  json: { description: 'print the result as JSON' },
  help: { description: 'show this help' },
};

function help(): string {
  const options = optionHelp(specs).join('\n');
  return [
    'usage: kwh codegen --lang LANG [--framework FW] (--event FILE.json | --source SOURCE [--type TYPE]) --out DIR',
    '',
    'Generates a webhook handler that verifies, deduplicates and answers 200 at once, plus types, a fixture and a test.',
    'Secrets are never written: the stub reads them from KALTURA_ADMIN_SECRET / ENABLEX_WEBHOOK_USER and _PASSWORD.',
    '',
    options,
  ].join('\n');
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${option} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** A JSON file with one event (or an export), or JSON lines from `kwh listen --json` (the first event is used). */
function readEventFile(file: string): SerializedEvent {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --event ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const firstLine = text.split('\n').find((line) => line.trim() !== '');
    try {
      value = JSON.parse(firstLine ?? '');
    } catch {
      throw new UsageError(`--event ${file} is not JSON (nor JSON lines); save one line of \`kwh listen --json\` output or an exported event`);
    }
  }
  return parseSerializedEvent(value, `--event ${file}`);
}

/** Secrets set in this shell: generation fails if one would be written into a generated file. */
function secretsFromEnvironment(): string[] {
  const env = process.env;
  return [
    env[secretEnvNames.kalturaAdminSecret] ?? '',
    ...(env[secretEnvNames.kalturaSecrets] ?? '').split(','),
    env[secretEnvNames.enablexPassword] ?? '',
  ].map((s) => s.trim()).filter((s) => s !== '');
}

const command: CliCommand = {
  summary: 'generate a handler stub (TypeScript, Python, PHP) from a captured event',
  async run(argv) {
    const args = parseArgs(argv, specs);
    if (flag(args, 'help')) {
      writeOut(help() + '\n');
      return 0;
    }
    const language = oneOf<CodegenLanguage>(stringOption(args, 'lang'), ['typescript', 'python', 'php'], 'lang');
    if (!language) throw new UsageError('--lang is required (typescript, python or php)');
    const framework = oneOf<CodegenFramework>(stringOption(args, 'framework'), frameworksByLanguage[language], 'framework');
    const eventFile = stringOption(args, 'event');
    const source = oneOf<CodegenSource>(stringOption(args, 'source'), ['kaltura', 'kaltura-legacy', 'enablex'], 'source');
    const type = stringOption(args, 'type');
    const out = stringOption(args, 'out');
    if (eventFile && source) throw new UsageError('use either --event FILE or --source SOURCE, not both');
    if (!eventFile && !source) throw new UsageError('give --event FILE.json (a captured event) or --source kaltura|kaltura-legacy|enablex');
    if (type && !source) throw new UsageError('--type goes with --source; a captured event already has its type');
    if (!out) throw new UsageError('--out DIR is required');

    try {
      const generated = generateHandler({
        language,
        ...(framework ? { framework } : {}),
        ...(eventFile ? { event: readEventFile(eventFile) } : {}),
        ...(source ? { source } : {}),
        ...(type ? { eventType: type } : {}),
        keepExampleValues: flag(args, 'keep-example-values'),
        redactHeaders: listOption(args, 'redact-header'),
        knownSecrets: secretsFromEnvironment(),
      });
      const written = writeGeneratedFiles(resolve(out), generated, { overwrite: flag(args, 'force') });
      if (flag(args, 'json')) {
        writeOut(terminalJson({ entry: written[0], files: written, commands: generated.commands }) + '\n');
      } else {
        writeOut(
          [`wrote ${written.length} files to ${resolve(out)}:`, ...written.map((p) => `  ${p}`), '', `run:  ${generated.commands.run}`, `test: ${generated.commands.test}`, ''].join('\n'),
        );
      }
      return 0;
    } catch (err) {
      if (err instanceof CodegenError) throw new UsageError(err.message);
      throw err;
    }
  },
};

export default command;
