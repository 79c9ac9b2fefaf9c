// The running workbench: event store, receiver, sandbox or live account, tunnel, registered templates.
// Glue only: every piece is a core module; this class starts, wires and stops them and reports state to the views.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { EventStore } from '../core/events/eventStore';
import type { EventStoreApi } from '../core/events/storeTypes';
import { createKalturaConnection, type KalturaConnection } from '../core/kaltura/connection';
import { TemplateRegistry, type Orphan, type RegistryOutcome } from '../core/kaltura/registration';
import type { BasicAuthCredential, SecretCandidate, VerificationCredentials } from '../core/providers/types';
import type { ReceiverApi } from '../core/receiver/types';
import { loadCreateTunnelManager, loadStartSandbox, type Sandbox, type TunnelManager } from './coreAdapter';
import { judgeForwardedUrl, planEndpoint, webhookUrlFor, type EndpointPlan, WEBHOOK_PATHS } from './endpointPlan';
import { CONTEXT_KEYS } from './commandIds';
import { errorMessage, type WorkbenchLog } from './log';
import type { WorkbenchSecrets } from './secrets';
import { readSettings, type WorkbenchSettings } from './settings';

export type RunState = 'stopped' | 'starting' | 'running' | 'stopping';

export interface AccountInfo {
  mode: 'sandbox' | 'live';
  /** Key of the account in the registration records. */
  key: string;
  partnerId?: number;
  serviceUrl?: string;
  /** Why Kaltura API calls are unavailable (no secret stored, …). */
  unavailable?: string;
}

export class StartError extends Error {}

/** A command that needs the running receiver: its notification carries a Start Receiver button (commands/deps.ts). */
export class ReceiverNotRunningError extends StartError {
  constructor(what = 'This needs the running receiver') {
    super(`${what}: the receiver is not running.`);
  }
}

export class Workbench implements vscode.Disposable {
  state: RunState = 'stopped';
  receiver: ReceiverApi | undefined;
  sandbox: Sandbox | undefined;
  tunnel: TunnelManager | undefined;
  kaltura: KalturaConnection | undefined;
  plan: EndpointPlan | undefined;
  account: AccountInfo | undefined;
  tunnelUrl: string | undefined;
  /** The tunnel settings the current tunnel was started with (see followsTunnelSettings). */
  private tunnelSettingsInUse: string | undefined;
  lastError: string | undefined;
  /** The core registry of templates this workbench created (for the current account), while running. */
  registry: TemplateRegistry | undefined;
  /** Ids of the templates in the registry, for the Templates view (kept in sync after every change). */
  registeredIds = new Set<number>();

  private storeInstance: EventStoreApi | undefined;
  private storeLoaded: Promise<void> | undefined;
  private storeSwapPending = false;
  private kalturaSecrets: SecretCandidate[] = [];
  private basicAuth: BasicAuthCredential[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly storeListeners = new vscode.EventEmitter<EventStoreApi>();
  /** Fires when the store is created and when a new one replaces it (capacity change). */
  readonly onDidReplaceStore = this.storeListeners.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly secrets: WorkbenchSecrets,
    private readonly log: WorkbenchLog,
  ) {
  }

  /** Per-installation token sent in the X-Kwh-Token header of registered templates (an identifier, not a secret). */
  get workspaceToken(): string {
    let token = this.context.globalState.get<string>('kalturaWebhooks.workspaceToken');
    if (!token) {
      token = randomUUID();
      void this.context.globalState.update('kalturaWebhooks.workspaceToken', token);
    }
    return token;
  }

  get settings(): WorkbenchSettings {
    return readSettings();
  }

  get hasStore(): boolean {
    return this.storeInstance !== undefined;
  }

  /** The event store, created on first use (and its persisted log loaded in the background). */
  get store(): EventStoreApi {
    if (!this.storeInstance) {
      this.storeInstance = this.createStore(readSettings());
      this.storeListeners.fire(this.storeInstance);
    }
    return this.storeInstance;
  }

  private createStore(settings: WorkbenchSettings): EventStoreApi {
    const dir = this.context.storageUri ?? this.context.globalStorageUri;
    const logDir = settings.storePersist ? vscode.Uri.joinPath(dir, 'events').fsPath : undefined;
    const options = {
      capacity: settings.storeCapacity,
      onWarning: (m: string) => this.log.warn(`event store: ${m}`),
      onLogFailure: (m: string) => {
        this.log.warn(`event store: ${m}`);
        void vscode.window.showWarningMessage(vscode.l10n.t('Kaltura Webhooks: {0}', m));
      },
      onRecovered: (m: string) => {
        this.log.info(`event store: ${m}`);
        void vscode.window.showInformationMessage(vscode.l10n.t('Kaltura Webhooks: {0}', m));
      },
      lockOwner: `VS Code (${vscode.env.appName})`,
    };
    let store: EventStore;
    try {
      store = new EventStore(logDir ? { ...options, logDir } : options);
    } catch (err) {
      // Another window (or kwh listen) holds the folder, or it cannot be written: this window keeps its events in
      // memory instead, and says why.
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn(`event store: ${message}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Kaltura Webhooks: {0}. This window keeps its events in memory only.', message));
      return new EventStore(options);
    }
    if (logDir) {
      this.storeLoaded = Promise.resolve(vscode.workspace.fs.createDirectory(vscode.Uri.file(logDir))).then(
        () =>
          store.load().then(
            ({ loaded, warnings }) => {
              if (loaded) this.log.info(`reloaded ${loaded} events from the event log`);
              for (const w of warnings) this.log.warn(`event log: ${w}`);
            },
            (err) => this.log.error('could not reload the event log', err),
          ),
        (err) => this.log.error(`could not create ${logDir}`, err),
      );
    }
    return store;
  }

  /** Applies a new capacity by swapping the store (events move over, newest kept). */
  async applyStoreSettings(settings: WorkbenchSettings): Promise<void> {
    if (!this.storeInstance) return;
    if (this.state !== 'stopped') {
      // The running receiver writes into the current store; swap it at the next start.
      this.storeSwapPending = true;
      this.log.info('the new event store settings apply at the next start of the receiver');
      return;
    }
    this.storeSwapPending = false;
    const old = this.storeInstance;
    await this.storeLoaded;
    await old.flush();
    const events = old.all();
    await old.close();
    // A persisted store reloads its own log (which holds every event); an in-memory one gets the events handed over.
    const next = this.createStore(settings);
    if (!settings.storePersist) next.add(events.slice(-settings.storeCapacity));
    this.storeInstance = next;
    this.storeListeners.fire(next);
    this.fire();
  }

  credentials(): VerificationCredentials {
    return { kalturaSecrets: this.kalturaSecrets, basicAuth: this.basicAuth };
  }

  webhookUrl(kind: keyof typeof WEBHOOK_PATHS = 'base'): string | undefined {
    if (!this.plan || !this.receiver) return undefined;
    return webhookUrlFor(this.plan, this.receiver.url, this.tunnelUrl, kind);
  }

  /** The Kaltura connection; throws an error that says what to do when there is none. */
  requireKaltura(): KalturaConnection {
    if (this.state !== 'running') throw new ReceiverNotRunningError(vscode.l10n.t('The Kaltura API commands need the running receiver and its account'));
    if (!this.kaltura) {
      throw new StartError(
        this.account?.unavailable ?? 'No Kaltura account is connected. Run "Kaltura Webhooks: Connect Kaltura Account" or use the embedded sandbox.',
      );
    }
    return this.kaltura;
  }

  async start(progress?: vscode.Progress<{ message?: string }>): Promise<void> {
    if (this.state === 'running' || this.state === 'starting') return;
    const settings = readSettings();
    this.setState('starting');
    this.lastError = undefined;
    try {
      this.plan = planEndpoint({ accountMode: settings.accountMode, tunnelProvider: settings.tunnelProvider, publicUrl: settings.tunnelPublicUrl });
      for (const w of this.plan.warnings) this.log.warn(w);
      await this.refreshEnablexCredentials(settings);

      if (this.plan.startSandbox) {
        progress?.report({ message: vscode.l10n.t('starting the embedded Kaltura sandbox…') });
        const startSandbox = await loadStartSandbox();
        this.sandbox = await startSandbox({ host: '127.0.0.1', port: 0 });
        this.log.registerSecret(this.sandbox.adminSecret);
        this.kalturaSecrets = [{ label: `sandbox admin secret (partner ${this.sandbox.partnerId})`, secret: this.sandbox.adminSecret }];
        this.kaltura = createKalturaConnection({
          log: (line) => this.log.api(line),
          serviceUrl: this.sandbox.url,
          session: { kind: 'localAdminSecret', partnerId: this.sandbox.partnerId, adminSecret: this.sandbox.adminSecret },
        });
        this.account = { mode: 'sandbox', key: 'sandbox', partnerId: this.sandbox.partnerId, serviceUrl: this.sandbox.url };
        this.log.info(`sandbox running at ${this.sandbox.url} (partner ${this.sandbox.partnerId})`);
      } else {
        await this.connectLive(settings);
      }

      if (this.storeSwapPending) {
        this.state = 'stopped';
        await this.applyStoreSettings(settings);
        this.state = 'starting';
      }
      progress?.report({ message: vscode.l10n.t('starting the receiver…') });
      const { startReceiver } = await import('../core/receiver/receiverServer');
      this.receiver = await startReceiver({
        host: settings.host,
        port: settings.port,
        responseMode: settings.responseMode,
        credentials: () => this.credentials(),
        store: this.store,
      });
      this.log.info(`receiver listening on ${this.receiver.url} (response mode ${settings.responseMode})`);

      if (this.kaltura) {
        this.registry = new TemplateRegistry({
          directory: vscode.Uri.joinPath(this.context.globalStorageUri, 'registry').fsPath,
          templates: this.kaltura.templates,
        });
        await this.syncRegisteredIds();
      }

      if (this.plan.tunnel !== 'none') {
        const what = { localtunnel: 'opening the tunnel…', portForwarding: "asking VS Code to forward the receiver's port…", external: 'checking the public URL…' };
        progress?.report({ message: what[this.plan.tunnel] });
        try {
          await this.startTunnel(settings);
        } catch (err) {
          // The receiver stays useful locally (samples, replay); the user can fix the tunnel and start it again.
          // The Start command tells the user, with the alternatives as buttons (lifecycle.ts).
          this.lastError = `tunnel: ${errorMessage(err)}`;
          this.log.error('the tunnel did not start', err);
        }
      }
      this.setState('running');
      void this.offerOrphanCleanup();
    } catch (err) {
      this.lastError = errorMessage(err);
      this.log.error('start failed', err);
      await this.teardown();
      this.setState('stopped');
      throw err;
    }
  }

  private async connectLive(settings: WorkbenchSettings): Promise<void> {
    const partnerId = settings.partnerId;
    if (!partnerId) {
      this.account = { mode: 'live', key: 'live', serviceUrl: settings.serviceUrl, unavailable: 'No partner id is set. Run "Kaltura Webhooks: Connect Kaltura Account".' };
      this.kalturaSecrets = [];
      this.kaltura = undefined;
      this.log.warn('live mode without a partner id: receiving works, Kaltura API commands are unavailable until you connect an account');
      return;
    }
    const key = `${settings.serviceUrl}#${partnerId}`;
    const adminSecret = await this.secrets.getAdminSecret(partnerId);
    const appToken = await this.secrets.getAppToken(partnerId);
    this.log.registerSecret(adminSecret);
    this.log.registerSecret(appToken);
    this.kalturaSecrets = adminSecret ? [{ label: `admin secret (partner ${partnerId})`, secret: adminSecret }] : [];
    const common = { partnerId, ...(settings.userId ? { userId: settings.userId } : {}) };
    if (settings.authMethod === 'appToken' && appToken && settings.appTokenId) {
      this.kaltura = createKalturaConnection({
        log: (line) => this.log.api(line),
        serviceUrl: settings.serviceUrl,
        session: { kind: 'appToken', appTokenId: settings.appTokenId, appToken, hashType: settings.appTokenHashType as 'SHA256', ...common },
      });
    } else if (adminSecret) {
      this.kaltura = createKalturaConnection({ log: (line) => this.log.api(line), serviceUrl: settings.serviceUrl, session: { kind: 'localAdminSecret', adminSecret, ...common } });
    } else {
      this.kaltura = undefined;
    }
    this.account = {
      mode: 'live',
      key,
      partnerId,
      serviceUrl: settings.serviceUrl,
      ...(this.kaltura ? {} : { unavailable: `No secret is stored for partner ${partnerId}. Run "Kaltura Webhooks: Connect Kaltura Account".` }),
    };
    if (!adminSecret) this.log.warn(`no admin secret stored for partner ${partnerId}: Kaltura signatures cannot be verified (events show as failed or unsigned)`);
    this.log.info(`live account: partner ${partnerId} at ${settings.serviceUrl}${this.kaltura ? '' : ' (API unavailable: no credentials)'}`);
  }

  private async refreshEnablexCredentials(settings: WorkbenchSettings): Promise<void> {
    const password = await this.secrets.peekEnablexPassword();
    this.log.registerSecret(password);
    this.basicAuth = password ? [{ label: `EnableX Basic auth (${settings.enablexUsername})`, username: settings.enablexUsername, password }] : [];
  }

  /** Called after the EnableX password was created, so verification picks it up at once. */
  async reloadCredentials(): Promise<void> {
    await this.refreshEnablexCredentials(readSettings());
  }

  async startTunnel(settings = readSettings()): Promise<void> {
    if (!this.receiver) throw new StartError(vscode.l10n.t('Start the receiver before the tunnel.'));
    if (this.tunnel) return;
    // The tunnel settings are read again: after a failed start the user may have picked another provider.
    const plan = this.plan?.startSandbox ? this.plan : planEndpoint({ accountMode: 'live', tunnelProvider: settings.tunnelProvider, publicUrl: settings.tunnelPublicUrl });
    this.plan = plan;
    this.tunnelSettingsInUse = tunnelSettingsKey(settings);
    const createTunnelManager = await loadCreateTunnelManager();
    const externalUrl = plan.tunnel === 'portForwarding' ? await this.forwardedReceiverUrl(this.receiver) : plan.externalUrl;
    const tunnel =
      plan.tunnel !== 'localtunnel' && externalUrl
        ? createTunnelManager({ kind: 'external', publicUrl: externalUrl })
        : createTunnelManager({
            kind: 'localtunnel',
            localPort: this.receiver.port,
            localHost: this.receiver.host,
            host: settings.tunnelHost,
            ...(settings.tunnelSubdomain ? { subdomain: settings.tunnelSubdomain } : {}),
          });
    tunnel.on('up', (url, info) => {
      this.tunnelUrl = url;
      this.log.info(`tunnel up: ${url}${info.reconnected ? ' (reconnected)' : ''}`);
      this.fire();
    });
    tunnel.on('down', (reason) => {
      this.log.warn(`tunnel down: ${reason}`);
      this.fire();
    });
    tunnel.on('url-changed', (oldUrl, newUrl) => {
      this.tunnelUrl = newUrl;
      this.log.warn(`tunnel URL changed from ${oldUrl} to ${newUrl}; re-pointing registered templates`);
      void this.repointAll();
      this.fire();
    });
    tunnel.on('probe', (result) => {
      if (!result.ok) this.log.warn(`tunnel self-probe failed: ${result.failure?.message ?? 'unknown'}`);
    });
    tunnel.on('log', (m) => this.log.info(`tunnel: ${m}`));
    this.tunnel = tunnel;
    try {
      this.tunnelUrl = await tunnel.start();
      if (this.lastError?.startsWith('tunnel:')) this.lastError = undefined;
      this.log.info(`public URL: ${this.tunnelUrl}`);
    } catch (err) {
      this.tunnel = undefined;
      await tunnel.stop().catch(() => undefined);
      throw err;
    } finally {
      this.fire();
    }
  }

  /** True when the running tunnel already uses these tunnel settings (so changing them needs no restart). */
  followsTunnelSettings(settings: WorkbenchSettings): boolean {
    if (this.choosingTunnel) return true;
    return this.tunnel !== undefined && this.tunnelSettingsInUse === tunnelSettingsKey(settings);
  }

  /** Set while the user's pick from the tunnel-failure buttons is written to the settings and started. */
  choosingTunnel = false;

  /** VS Code's port forwarding for the receiver; watched by the same self-probe as any other public URL. */
  private async forwardedReceiverUrl(receiver: ReceiverApi): Promise<string> {
    // Port forwarding maps loopback URLs; a receiver on every interface is reached through loopback too.
    const host = receiver.host === '0.0.0.0' || receiver.host === '::' ? '127.0.0.1' : receiver.host;
    const local = `http://${host.includes(':') ? `[${host}]` : host}:${receiver.port}/`;
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(local));
    const forwarded = judgeForwardedUrl(external.toString(true), receiver.port);
    this.log.info(`VS Code port forwarding: ${local} is reachable as ${forwarded.url}`);
    for (const warning of forwarded.warnings) {
      this.log.warn(warning);
      void vscode.window.showWarningMessage(vscode.l10n.t('Kaltura Webhooks: {0}.', warning));
    }
    return forwarded.url;
  }

  async stopTunnel(): Promise<void> {
    const tunnel = this.tunnel;
    this.tunnel = undefined;
    this.tunnelUrl = undefined;
    if (tunnel) {
      await tunnel.stop();
      this.log.info('tunnel stopped');
    }
    this.fire();
  }

  /** Refreshes `registeredIds` from the registry file. */
  async syncRegisteredIds(): Promise<void> {
    if (!this.registry) {
      this.registeredIds = new Set();
      return;
    }
    const records = await this.registry.list().catch(() => []);
    this.registeredIds = new Set(records.flatMap((r) => (r.id === undefined ? [] : [r.id])));
    if (this.registeredIds.size > 0) void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasRegisteredTemplate, true);
    this.fire();
  }

  /** Points every template this session registered at the current webhook URL. */
  async repointAll(): Promise<RegistryOutcome[]> {
    const base = this.webhookUrl();
    if (!this.registry || !base) return [];
    const outcomes = await this.registry.rePoint(base);
    this.logOutcomes(outcomes);
    await this.syncRegisteredIds();
    return outcomes;
  }

  private logOutcomes(outcomes: RegistryOutcome[]): void {
    for (const o of outcomes) {
      const what = `template ${o.record.id ?? '?'} (${o.record.name ?? o.record.systemName})`;
      if (o.ok) this.log.info(`${o.action} ${what}`);
      else this.log.error(`could not ${o.action === 'repointed' ? 're-point' : o.action.replace(/d$/, '')} ${what}`, o.error);
    }
  }

  /** Disables or deletes this session's templates (or the given orphans) per the cleanup policy. */
  async cleanupRegistered(policy = readSettings().cleanupPolicy, orphans?: Orphan[]): Promise<RegistryOutcome[]> {
    if (!this.registry || policy === 'keep') return [];
    const outcomes = await this.registry.cleanup(policy, orphans ? { records: orphans.map((o) => o.record) } : {});
    this.logOutcomes(outcomes);
    await this.syncRegisteredIds();
    return outcomes;
  }

  private async offerOrphanCleanup(): Promise<void> {
    if (!this.registry || this.account?.mode === 'sandbox') return;
    let orphans: Orphan[];
    try {
      orphans = await this.registry.findOrphans();
    } catch (err) {
      this.log.error('could not look for templates left by an earlier session', err);
      return;
    }
    if (!orphans.length) return;
    const alive = orphans.some((o) => o.ownerMaybeAlive);
    const names = orphans.map((o) => `${o.template.name ?? o.record.systemName} (#${o.template.id})`).join(', ');
    const choice = await vscode.window.showWarningMessage(
      alive
        ? vscode.l10n.t('{0} template(s) registered by an earlier session are still active: {1}. Another VS Code window may still be using some of them.', orphans.length, names)
        : vscode.l10n.t('{0} template(s) registered by an earlier session are still active: {1}.', orphans.length, names),
      vscode.l10n.t('Disable'),
      vscode.l10n.t('Delete'),
      vscode.l10n.t('Adopt and re-point'),
      vscode.l10n.t('Keep'),
    );
    if (choice === vscode.l10n.t('Disable')) await this.cleanupRegistered('disable', orphans);
    else if (choice === vscode.l10n.t('Delete')) await this.cleanupRegistered('delete', orphans);
    else if (choice === vscode.l10n.t('Adopt and re-point')) {
      await this.registry.adopt(orphans.map((o) => o.record));
      await this.repointAll();
    }
    this.fire();
  }

  async stop(): Promise<RegistryOutcome[]> {
    if (this.state === 'stopped' || this.state === 'stopping') return [];
    this.setState('stopping');
    let done: RegistryOutcome[] = [];
    try {
      done = await this.cleanupRegistered().catch((err) => {
        this.log.error('cleanup of registered templates failed', err);
        return [];
      });
    } finally {
      await this.teardown();
      this.setState('stopped');
    }
    return done;
  }

  private async teardown(): Promise<void> {
    const steps: Array<[string, () => Promise<void>]> = [
      ['tunnel', () => this.stopTunnel()],
      ['receiver', async () => { await this.receiver?.close(); this.receiver = undefined; }],
      ['sandbox', async () => { await this.sandbox?.close(); this.sandbox = undefined; }],
      ['event store flush', async () => { await this.storeInstance?.flush(); }],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (err) {
        this.log.error(`stopping the ${name} failed`, err);
      }
    }
    // Sandbox partners and their templates die with the sandbox; their registry file would only pile up.
    if (this.account?.mode === 'sandbox' && this.registry) {
      await vscode.workspace.fs.delete(vscode.Uri.file(this.registry.filePath)).then(undefined, () => undefined);
    }
    this.kaltura = undefined;
    this.registry = undefined;
    this.registeredIds = new Set();
    this.kalturaSecrets = [];
    this.tunnelUrl = undefined;
    this.log.info('stopped');
  }

  setResponseMode(mode: WorkbenchSettings['responseMode']): void {
    if (this.receiver) this.receiver.responseMode = mode;
    this.fire();
  }

  private setState(state: RunState): void {
    this.state = state;
    void vscode.commands.executeCommand('setContext', 'kalturaWebhooks.running', state === 'running');
    this.fire();
  }

  fire(): void {
    this.changed.fire();
  }

  /** Stops everything and closes the store (window close / deactivate). */
  async shutdown(): Promise<void> {
    await this.stop();
    await this.storeInstance?.close();
  }

  dispose(): void {
    this.changed.dispose();
    this.storeListeners.dispose();
  }
}

function tunnelSettingsKey(settings: WorkbenchSettings): string {
  return JSON.stringify([settings.tunnelProvider, settings.tunnelPublicUrl, settings.tunnelHost, settings.tunnelSubdomain]);
}
