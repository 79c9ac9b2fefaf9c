// Typed wrapper over context.secrets. Secrets live only here (and in memory while running):
// never in settings, logs, exports or generated code.
import type * as vscode from 'vscode';

const KEYS = {
  adminSecret: (partnerId: number) => `kalturaWebhooks.adminSecret.${partnerId}`,
  appToken: (partnerId: number) => `kalturaWebhooks.appToken.${partnerId}`,
  enablexPassword: 'kalturaWebhooks.enablex.password',
} as const;

export class WorkbenchSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  getAdminSecret(partnerId: number): Thenable<string | undefined> {
    return this.storage.get(KEYS.adminSecret(partnerId));
  }
  setAdminSecret(partnerId: number, secret: string): Thenable<void> {
    return this.storage.store(KEYS.adminSecret(partnerId), secret);
  }
  getAppToken(partnerId: number): Thenable<string | undefined> {
    return this.storage.get(KEYS.appToken(partnerId));
  }
  setAppToken(partnerId: number, token: string): Thenable<void> {
    return this.storage.store(KEYS.appToken(partnerId), token);
  }
  async forgetAccount(partnerId: number): Promise<void> {
    await this.storage.delete(KEYS.adminSecret(partnerId));
    await this.storage.delete(KEYS.appToken(partnerId));
  }

  /** The EnableX Basic-auth password; generated once so the user only has to paste it into the portal. */
  async enablexPassword(generate: () => string): Promise<string> {
    const existing = await this.storage.get(KEYS.enablexPassword);
    if (existing) return existing;
    const created = generate();
    await this.storage.store(KEYS.enablexPassword, created);
    return created;
  }
  peekEnablexPassword(): Thenable<string | undefined> {
    return this.storage.get(KEYS.enablexPassword);
  }
}
