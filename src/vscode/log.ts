// The "Kaltura Webhooks" output channel. Known secrets are registered here and masked in every line,
// so a careless message cannot leak them.
import * as vscode from 'vscode';

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

  private write(level: string, message: string): void {
    let line = message;
    for (const s of this.secrets) line = line.split(s).join('***');
    const time = new Date().toLocaleTimeString();
    this.channel.appendLine(`[${time}] ${level.padEnd(5)} ${line}`);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
