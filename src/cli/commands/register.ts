// `kwh register --template SYSTEM_NAME_OR_ID --public-url URL`: clone a system HTTP template, point it at the
// public URL, activate it, and keep it until Ctrl-C, when it is deleted (or disabled). Templates left behind by
// an earlier run that crashed are reported (or cleaned up with --orphans).
import { terminalJson, writeErr, writeOut } from '../terminalOutput';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { flag, optionHelp, parseArgs, secretFromEnv, stringOption, UsageError, type OptionSpecs } from '../args';
import type { CliCommand } from '../main';
import { registerWebhook, TemplateRegistry, WORKBENCH_TOKEN_HEADER, type RegistryOutcome } from '../../core/kaltura/registration';
import { connectionFromArgs, describeKalturaFailure, KALTURA_CONNECTION_OPTIONS, parseHashAlgo } from './templates';

const OPTIONS: OptionSpecs = {
  ...KALTURA_CONNECTION_OPTIONS,
  template: { value: true, description: 'system template to clone: systemName (e.g. HTTP_ENTRY_STATUS_CHANGED) or id' },
  'public-url': { value: true, description: 'public base URL of the receiver (tunnel or external URL); the template gets <URL>/kaltura/<systemName>' },
  'token-env': { value: true, description: `NAME of the environment variable holding the workspace token sent as ${WORKBENCH_TOKEN_HEADER} (default: random)` },
  'hash-algo': { value: true, description: 'signature hash: sha1, sha256 (default) or sha512' },
  'registry-dir': { value: true, description: 'where created templates are recorded (default $KWH_REGISTRY_DIR or ~/.kwh/registry)' },
  'on-exit': { value: true, description: 'what to do with the template on Ctrl-C: delete (default), disable or keep' },
  orphans: { value: true, description: 'templates left by an earlier crashed run: report (default), delete or disable' },
  'no-wait': { description: 'register and exit at once, keeping the template (clean up later with --orphans delete)' },
};

const USAGE = `usage: kwh register --template SYSTEM_NAME_OR_ID --public-url URL --partner-id ID (--admin-secret-env NAME | --app-token-id ID --app-token-env NAME) [options]

options:
${optionHelp(OPTIONS).join('\n')}`;

function out(text: string): void {
  writeOut(text + '\n');
}

function describeOutcomes(outcomes: RegistryOutcome[]): string {
  return outcomes
    .map((o) => `  ${o.record.id ?? '?'} ${o.record.systemName}: ${o.ok ? o.action : `could not be ${o.action}: ${describeKalturaFailure(o.error)}`}`)
    .join('\n');
}

/**
 * Ctrl-C / SIGTERM, listened for from the start: a signal that arrives while registering (or right after the
 * summary is printed) still leads to cleanup instead of killing the process with the template left active.
 */
class StopSignal {
  readonly received: Promise<NodeJS.Signals>;
  private resolve: (signal: NodeJS.Signals) => void = () => {};
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.dispose();
    this.resolve(signal);
  };

  constructor() {
    this.received = new Promise((resolve) => (this.resolve = resolve));
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  wait(): Promise<NodeJS.Signals> {
    // Signal listeners do not keep Node alive; a timer does, while we wait.
    this.keepAlive ??= setInterval(() => {}, 1 << 30);
    return this.received;
  }

  dispose(): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

const command: CliCommand = {
  summary: 'register the workbench as a Kaltura webhook (clone, point, activate; cleanup on Ctrl-C)',
  async run(argv) {
    const args = parseArgs(argv, OPTIONS);
    if (flag(args, 'help')) {
      out(USAGE);
      return 0;
    }
    const templateRef = stringOption(args, 'template');
    if (!templateRef) throw new UsageError(`--template is required (see \`kwh templates system\`)\n${USAGE}`);
    const publicUrl = stringOption(args, 'public-url');
    if (!publicUrl) throw new UsageError('--public-url is required: the tunnel or external URL Kaltura can reach (e.g. from `kwh listen --tunnel`)');
    const onExit = (stringOption(args, 'on-exit') ?? 'delete').toLowerCase();
    if (!['delete', 'disable', 'keep'].includes(onExit)) throw new UsageError(`--on-exit must be delete, disable or keep, got "${onExit}"`);
    const orphanMode = (stringOption(args, 'orphans') ?? 'report').toLowerCase();
    if (!['report', 'delete', 'disable'].includes(orphanMode)) throw new UsageError(`--orphans must be report, delete or disable, got "${orphanMode}"`);
    const tokenEnv = stringOption(args, 'token-env');
    const workspaceToken = tokenEnv ? secretFromEnv(tokenEnv, 'token-env') : randomBytes(16).toString('hex');
    const secureHashingAlgo = parseHashAlgo(stringOption(args, 'hash-algo'));
    const directory = stringOption(args, 'registry-dir') ?? process.env.KWH_REGISTRY_DIR ?? join(homedir(), '.kwh', 'registry');
    const json = flag(args, 'json');

    const connection = connectionFromArgs(args);
    const stop = new StopSignal();
    const registry = new TemplateRegistry({ directory, templates: connection.templates });
    try {
      const orphans = await registry.findOrphans();
      for (const warning of registry.warnings) writeErr(`warning: ${warning}\n`);
      if (orphans.length) {
        const list = orphans.map((o) => `  ${o.template.id} ${o.record.systemName} → ${o.template.url ?? '?'}${o.ownerMaybeAlive ? ' (its process may still run)' : ''}`).join('\n');
        if (orphanMode === 'report') {
          writeErr(`${orphans.length} active template(s) from an earlier run were not cleaned up:\n${list}\nRun again with --orphans delete (or disable) to clean them up.\n`);
        } else {
          const outcomes = await registry.cleanup(orphanMode === 'delete' ? 'delete' : 'disable', { records: orphans.map((o) => o.record) });
          writeErr(`cleaned up templates from an earlier run:\n${describeOutcomes(outcomes)}\n`);
        }
      }

      const registered = await registerWebhook({ registry, template: templateRef, publicBaseUrl: publicUrl, workspaceToken, secureHashingAlgo });
      const summary = {
        id: registered.template.id,
        systemName: registered.record.systemName,
        sourceId: registered.source.id,
        sourceSystemName: registered.source.systemName,
        url: registered.url,
        status: registered.template.status,
        registry: registry.filePath,
        notApplied: registered.notApplied,
      };
      out(
        json
          ? terminalJson(summary)
          : `registered template ${summary.id} (${summary.systemName}, cloned from ${summary.sourceSystemName ?? summary.sourceId})\n` +
              `  → ${summary.url}\n` +
              registered.notApplied.map((note) => `  note: ${note}\n`).join('') +
              (tokenEnv ? `  ${WORKBENCH_TOKEN_HEADER} from $${tokenEnv}\n` : `  ${WORKBENCH_TOKEN_HEADER}: a random token (pass --token-env NAME to choose it)\n`) +
              (flag(args, 'no-wait') ? '' : `Press Ctrl-C to ${onExit === 'keep' ? 'exit (the template stays active)' : `${onExit} it and exit`}.`),
      );
      if (flag(args, 'no-wait')) return 0;

      await stop.wait();
      if (onExit === 'keep') {
        out('leaving the template active.');
        return 0;
      }
      const outcomes = await registry.cleanup(onExit === 'delete' ? 'delete' : 'disable');
      out(json ? terminalJson({ cleanup: outcomes.map((o) => ({ id: o.record.id, action: o.action, ok: o.ok })) }) : `cleanup:\n${describeOutcomes(outcomes)}`);
      return outcomes.every((o) => o.ok) ? 0 : 1;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      writeErr(`kwh register: ${describeKalturaFailure(err)}\n`);
      return 1;
    } finally {
      stop.dispose();
      await connection.close();
    }
  },
};

export default command;
