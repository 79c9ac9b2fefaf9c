// The running workbench as VS Code sees it: the session engine (core/session) with the extension's settings,
// SecretStorage, event store folder, prompts and context keys around it. The engine starts, wires and stops the
// pieces; this class turns settings into a plan and reports the engine's state to the views.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { EventStore } from '../core/events/eventStore';
import type { EventStoreApi } from '../core/events/storeTypes';
import type { KalturaConnection } from '../core/kaltura/connection';
import type { Orphan, RegisteredWebhook, RegistryOutcome, TemplateRegistry } from '../core/kaltura/registration';
import type { BasicAuthCredential, SecretCandidate, VerificationCredentials } from '../core/providers/types';
import type { ReceiverApi } from '../core/receiver/types';
import { judgeForwardedUrl, planEndpoint, type EndpointPlan, WEBHOOK_PATHS } from '../core/session/endpointPlan';
import { SessionEngine } from '../core/session/sessionEngine';
import { openSessionStore } from '../core/session/sessionStore';
import type { AccountInfo, LiveAccountPlan, LocaltunnelChoice, OrphanAnswer, SessionPlan, SessionState, StartStep } from '../core/session/sessionTypes';
import type { TunnelManager } from '../core/tunnel';
import { loadStartSandbox, type Sandbox } from './coreAdapter';
import { CONTEXT_KEYS } from './commandIds';
import { Disposable } from './disposable';
import type { AutoForwarder } from './autoForward';
import type { WorkbenchLog } from './log';
import type { WorkbenchSecrets } from './secrets';
import { readSettings, type WorkbenchSettings } from './settings';

export type RunState = SessionState;
export type { AccountInfo };

export class StartError extends Error {}

/** A command that needs the running receiver: its notification carries a Start Receiver button (commands/deps.ts). */
export class ReceiverNotRunningError extends StartError {
  constructor(what = 'This needs the running receiver') {
    super(`${what}: the receiver is not running.`);
  }
}

export class Workbench extends Disposable {
  /** The tunnel settings the current tunnel was started with (see followsTunnelSettings). */
  private tunnelSettingsInUse: string | undefined;
  /** Set while the user's pick from the tunnel-failure buttons is written to the settings and started. */
  choosingTunnel = false;

  private session: SessionEngine<Sandbox> | undefined;
  private storeLoaded: Promise<void> | undefined;
  /** Whether the current store writes a log (a change of that needs a new store; a capacity change does not). */
  private storePersisted = false;
  private storeSwapPending = false;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly storeListeners = this.register(new vscode.EventEmitter<EventStoreApi>());
  /** Fires when the store is created and when a new one replaces it (the log setting changed). */
  readonly onDidReplaceStore = this.storeListeners.event;
  private hadRegistered = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly secrets: WorkbenchSecrets,
    private readonly log: WorkbenchLog,
    private readonly forwarding?: Pick<AutoForwarder, 'target' | 'onResult'>,
  ) {
    super();
  }

  get state(): RunState {
    return this.session?.state ?? 'stopped';
  }
  get receiver(): ReceiverApi | undefined {
    return this.session?.receiver;
  }
  get sandbox(): Sandbox | undefined {
    return this.session?.sandbox;
  }
  get tunnel(): TunnelManager | undefined {
    return this.session?.tunnel;
  }
  get kaltura(): KalturaConnection | undefined {
    return this.session?.kaltura;
  }
  get registry(): TemplateRegistry | undefined {
    return this.session?.registry;
  }
  get plan(): EndpointPlan | undefined {
    return this.session?.endpoint;
  }
  get account(): AccountInfo | undefined {
    return this.session?.account;
  }
  get tunnelUrl(): string | undefined {
    return this.session?.publicUrl;
  }
  get lastError(): string | undefined {
    return this.session?.lastError;
  }
  /** Ids of the templates in the registry, for the Templates view. */
  get registeredIds(): ReadonlySet<number> {
    return this.session?.registeredIds ?? new Set();
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
    return this.session !== undefined;
  }

  /** The event store, created on first use (and its persisted log loaded in the background). */
  get store(): EventStoreApi {
    return this.engine().store;
  }

  private engine(): SessionEngine<Sandbox> {
    if (!this.session) {
      const session = new SessionEngine<Sandbox>(this.createStore(readSettings()), {
        log: this.log,
        startSandbox: async () => (await loadStartSandbox())({ host: '127.0.0.1', port: 0 }),
        forwardedUrl: (receiver) => this.forwardedReceiverUrl(receiver),
        ask: (question) => this.askAboutOrphans(question.orphans),
        ...(this.forwarding ? { onForwarded: (event, record) => this.forwarding?.onResult(event, record) } : {}),
      });
      this.register(session.onDidChange(() => this.onSessionChange()));
      this.session = session;
      this.storeListeners.fire(session.store);
    }
    return this.session;
  }

  private onSessionChange(): void {
    const hasRegistered = (this.session?.registeredIds.size ?? 0) > 0;
    if (hasRegistered && !this.hadRegistered) void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasRegisteredTemplate, true);
    this.hadRegistered ||= hasRegistered;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, this.state === 'running');
    this.changed.fire();
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
    this.storePersisted = settings.storePersist;
    let store: EventStore;
    try {
      store = openSessionStore(logDir ? { ...options, logDir } : options);
    } catch (err) {
      // Another window (or kwh listen) holds the folder, or it cannot be written: this window keeps its events in
      // memory instead, and says why.
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn(`event store: ${message}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Kaltura Webhooks: {0}. This window keeps its events in memory only.', message));
      return openSessionStore(options);
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

  /**
   * Applies changed store settings: a new capacity to the same store at once; turning the log on or off needs a
   * new store, swapped while the receiver is stopped (events move over, newest kept).
   */
  async applyStoreSettings(settings: WorkbenchSettings): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (settings.storeCapacity !== session.store.capacity) session.store.setCapacity(settings.storeCapacity);
    if (settings.storePersist === this.storePersisted) {
      this.changed.fire();
      return;
    }
    if (session.state !== 'stopped') {
      // The running receiver writes into the current store; swap it at the next start.
      this.storeSwapPending = true;
      this.log.info('the new event store settings apply at the next start of the receiver');
      return;
    }
    this.storeSwapPending = false;
    const old = session.store;
    await this.storeLoaded;
    await old.flush();
    const events = old.all();
    await old.close();
    // A persisted store reloads its own log (which holds every event); an in-memory one gets the events handed over.
    const next = this.createStore(settings);
    if (!settings.storePersist) next.add(events.slice(-settings.storeCapacity));
    session.useStore(next);
    this.storeListeners.fire(next);
    this.changed.fire();
  }

  credentials(): VerificationCredentials {
    return this.engine().credentials();
  }

  webhookUrl(kind: keyof typeof WEBHOOK_PATHS = 'base'): string | undefined {
    return this.session?.webhookUrl(kind);
  }

  /** The Kaltura connection; throws an error that says what to do when there is none. */
  requireKaltura(): KalturaConnection {
    if (this.state !== 'running') throw new ReceiverNotRunningError(vscode.l10n.t('The Kaltura API commands need the running receiver and its account'));
    const kaltura = this.kaltura;
    if (!kaltura) {
      throw new StartError(
        this.account?.unavailable ?? 'No Kaltura account is connected. Run "Kaltura Webhooks: Connect Kaltura Account" or use the embedded sandbox.',
      );
    }
    return kaltura;
  }

  /** The running session with its Kaltura account (requireKaltura's checks and messages). */
  private requireSession(): SessionEngine<Sandbox> {
    this.requireKaltura();
    return this.session!;
  }

  async start(progress?: vscode.Progress<{ message?: string }>): Promise<void> {
    const session = this.engine();
    if (session.state === 'running' || session.state === 'starting') return;
    const settings = readSettings();
    if (this.storeSwapPending) await this.applyStoreSettings(settings);
    let plan: SessionPlan;
    try {
      plan = await this.planFrom(settings);
    } catch (err) {
      this.log.error('start failed', err);
      throw err;
    }
    this.tunnelSettingsInUse = plan.endpoint.tunnel === 'none' ? undefined : tunnelSettingsKey(settings);
    const steps: Record<StartStep, string> = {
      sandbox: vscode.l10n.t('starting the embedded Kaltura sandbox…'),
      receiver: vscode.l10n.t('starting the receiver…'),
      localtunnel: vscode.l10n.t('opening the tunnel…'),
      portForwarding: vscode.l10n.t('asking VS Code to forward the port of the receiver…'),
      external: vscode.l10n.t('checking the public URL…'),
    };
    await session.start(plan, (step) => progress?.report({ message: steps[step] }));
  }

  /** The session plan the settings and SecretStorage describe. */
  private async planFrom(settings: WorkbenchSettings): Promise<SessionPlan> {
    const endpoint = planEndpoint({ accountMode: settings.accountMode, tunnelProvider: settings.tunnelProvider, publicUrl: settings.tunnelPublicUrl });
    const live = endpoint.startSandbox ? undefined : await this.liveAccount(settings);
    return {
      endpoint,
      receiver: { host: settings.host, port: settings.port, responseMode: settings.responseMode },
      ...(live ? { live: live.plan } : {}),
      localtunnel: localtunnelChoice(settings),
      kalturaSecrets: live?.secrets ?? [],
      basicAuth: await this.enablexCredentials(settings),
      cleanupPolicy: settings.cleanupPolicy,
      registryDirectory: vscode.Uri.joinPath(this.context.globalStorageUri, 'registry').fsPath,
      ...(this.forwarding ? { forwardTo: () => this.forwarding?.target() } : {}),
    };
  }

  private async liveAccount(settings: WorkbenchSettings): Promise<{ plan: LiveAccountPlan; secrets: SecretCandidate[] }> {
    const partnerId = settings.partnerId;
    if (!partnerId) {
      this.log.warn('live mode without a partner id: receiving works, Kaltura API commands are unavailable until you connect an account');
      return {
        plan: { key: 'live', serviceUrl: settings.serviceUrl, unavailable: 'No partner id is set. Run "Kaltura Webhooks: Connect Kaltura Account".' },
        secrets: [],
      };
    }
    const adminSecret = await this.secrets.getAdminSecret(partnerId);
    const appToken = await this.secrets.getAppToken(partnerId);
    this.log.registerSecret(adminSecret);
    this.log.registerSecret(appToken);
    const common = { partnerId, ...(settings.userId ? { userId: settings.userId } : {}) };
    const session =
      settings.authMethod === 'appToken' && appToken && settings.appTokenId
        ? { kind: 'appToken' as const, appTokenId: settings.appTokenId, appToken, hashType: settings.appTokenHashType, ...common }
        : adminSecret
          ? { kind: 'localAdminSecret' as const, adminSecret, ...common }
          : undefined;
    if (!adminSecret) this.log.warn(`no admin secret stored for partner ${partnerId}: Kaltura signatures cannot be verified (events show as failed or unsigned)`);
    return {
      plan: {
        key: `${settings.serviceUrl}#${partnerId}`,
        serviceUrl: settings.serviceUrl,
        partnerId,
        ...(session ? { session } : { unavailable: `No secret is stored for partner ${partnerId}. Run "Kaltura Webhooks: Connect Kaltura Account".` }),
      },
      secrets: adminSecret ? [{ label: `admin secret (partner ${partnerId})`, secret: adminSecret }] : [],
    };
  }

  private async enablexCredentials(settings: WorkbenchSettings): Promise<BasicAuthCredential[]> {
    const password = await this.secrets.peekEnablexPassword();
    this.log.registerSecret(password);
    return password ? [{ label: `EnableX Basic auth (${settings.enablexUsername})`, username: settings.enablexUsername, password }] : [];
  }

  /** Called after the EnableX password was created, so verification picks it up at once. */
  async reloadCredentials(): Promise<void> {
    this.engine().setBasicAuth(await this.enablexCredentials(readSettings()));
  }

  async startTunnel(settings = readSettings()): Promise<void> {
    const session = this.session;
    if (!session?.receiver) throw new StartError(vscode.l10n.t('Start the receiver before the tunnel.'));
    if (session.tunnel) return;
    // The tunnel settings are read again: after a failed start the user may have picked another provider.
    const endpoint = session.endpoint?.startSandbox
      ? session.endpoint
      : planEndpoint({ accountMode: 'live', tunnelProvider: settings.tunnelProvider, publicUrl: settings.tunnelPublicUrl });
    this.tunnelSettingsInUse = tunnelSettingsKey(settings);
    await session.startTunnel({ endpoint, localtunnel: localtunnelChoice(settings) });
  }

  /** True when the running tunnel already uses these tunnel settings (so changing them needs no restart). */
  followsTunnelSettings(settings: WorkbenchSettings): boolean {
    if (this.choosingTunnel) return true;
    return this.tunnel !== undefined && this.tunnelSettingsInUse === tunnelSettingsKey(settings);
  }

  /** VS Code's port forwarding for the receiver; watched by the same self-probe as any other public URL. */
  private async forwardedReceiverUrl(receiver: { host: string; port: number }): Promise<string> {
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
    await this.session?.stopTunnel();
  }

  /** Refreshes the registered ids from the registry file (after a command registered a template). */
  async syncRegisteredIds(): Promise<void> {
    await this.session?.syncRegisteredIds();
  }

  /** Points every template this session registered at the current webhook URL. */
  /** Clones, points and activates a system template at `publicBaseUrl` (the engine records it). */
  registerTemplate(sourceId: number, publicBaseUrl: string): Promise<RegisteredWebhook> {
    return this.requireSession().registerTemplate(sourceId, publicBaseUrl, this.workspaceToken);
  }

  repointTemplate(template: { id: number; systemName?: string | undefined }, publicBaseUrl: string): Promise<string> {
    return this.requireSession().repointTemplate(template, publicBaseUrl);
  }

  deleteTemplate(template: { id: number; systemName?: string | undefined }): Promise<void> {
    return this.requireSession().deleteTemplate(template);
  }

  async repointAll(): Promise<RegistryOutcome[]> {
    return (await this.session?.repointAll()) ?? [];
  }

  /** Disables or deletes this session's templates (or the given orphans) per the cleanup policy. */
  async cleanupRegistered(policy = readSettings().cleanupPolicy, orphans?: Orphan[]): Promise<RegistryOutcome[]> {
    return (await this.session?.cleanupRegistered(policy, orphans)) ?? [];
  }

  private async askAboutOrphans(orphans: Orphan[]): Promise<OrphanAnswer | undefined> {
    const alive = orphans.some((o) => o.ownerMaybeAlive);
    const names = orphans.map((o) => `${o.template.name ?? o.record.systemName} (#${o.template.id})`).join(', ');
    const answers: Array<[string, OrphanAnswer]> = [
      [vscode.l10n.t('Disable'), 'disable'],
      [vscode.l10n.t('Delete'), 'delete'],
      [vscode.l10n.t('Adopt and re-point'), 'adopt'],
      [vscode.l10n.t('Keep'), 'keep'],
    ];
    const choice = await vscode.window.showWarningMessage(
      alive
        ? vscode.l10n.t('{0} template(s) registered by an earlier session are still active: {1}. Another VS Code window may still be using some of them.', orphans.length, names)
        : vscode.l10n.t('{0} template(s) registered by an earlier session are still active: {1}.', orphans.length, names),
      ...answers.map(([label]) => label),
    );
    return answers.find(([label]) => label === choice)?.[1];
  }

  async stop(): Promise<RegistryOutcome[]> {
    // The cleanup policy is read at Stop, so a change made while running applies.
    return (await this.session?.stop(readSettings().cleanupPolicy)) ?? [];
  }

  setResponseMode(mode: WorkbenchSettings['responseMode']): void {
    this.session?.setResponseMode(mode);
  }

  fire(): void {
    this.changed.fire();
  }

  /** Stops everything and closes the store (window close / deactivate). */
  async shutdown(): Promise<void> {
    await this.stop();
    await this.session?.store.close();
  }
}

function localtunnelChoice(settings: WorkbenchSettings): LocaltunnelChoice {
  return { host: settings.tunnelHost, ...(settings.tunnelSubdomain ? { subdomain: settings.tunnelSubdomain } : {}) };
}

function tunnelSettingsKey(settings: WorkbenchSettings): string {
  return JSON.stringify([settings.tunnelProvider, settings.tunnelPublicUrl, settings.tunnelHost, settings.tunnelSubdomain]);
}
