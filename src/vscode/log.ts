// The "Kaltura Webhooks" output channel. Known secrets are registered here and masked in every line,
// so a careless message cannot leak them.
import * as vscode from 'vscode';
import { clockTime } from './clockTime';

export class WorkbenchLog implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Kaltura Webhooks');
  private readonly secrets = new Set<string>();

  /** Masks this value in all later log lines. Short values are ignored to avoid masking ordinary words. */
  registerSecret(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  error(message: string, err?: unknown): void {
    this.write('error', err === undefined ? message : `${message}: ${errorMessage(err)}`);
  }
  show(): void {
    this.channel.show(true);
  }

  /**
   * A line of the "Kaltura API" channel: every API call the workbench makes (service.action, duration, result or
   * Kaltura error code), with the same secrets masked. The channel is made on the first call.
   */
  api(line: string): void {
    this.apiChannel ??= vscode.window.createOutputChannel('Kaltura API');
    this.apiChannel.appendLine(`[${clockTime(new Date())}] ${this.mask(line)}`);
  }

  private apiChannel: vscode.OutputChannel | undefined;

  private mask(message: string): string {
    let line = message;
    for (const s of this.secrets) line = line.split(s).join('***');
    // A KS in a message (Kaltura echoes it in INVALID_KS) is a credential too.
    return line.replace(/\b(djJ8|ks=)[A-Za-z0-9_\-=+/]{20,}/g, '$1***');
  }

  private write(level: string, message: string): void {
    const line = this.mask(message);
    const time = clockTime(new Date());
    this.channel.appendLine(`[${time}] ${level.padEnd(5)} ${line}`);
  }

  dispose(): void {
    this.channel.dispose();
    this.apiChannel?.dispose();
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
