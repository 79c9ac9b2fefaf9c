// One running session: the event store's receiver, the sandbox or live Kaltura connection, the tunnel, the templates
// registered for it and forwarding to the user's app. `kwh listen` and the extension both drive this object (as
// stripe-cli's listen command drives pkg/proxy): they turn arguments or settings into a plan, print or show what it
// reports, and answer its questions through the ports.
import { rm } from 'node:fs/promises';
import type { EventStoreApi } from '../events/storeTypes';
import { DeliveryForwarder } from '../forward/deliveryForwarder';
import { createKalturaConnection, type KalturaConnection } from '../kaltura/connection';
import { registerWebhook, TemplateRegistry, type Orphan, type RegisteredWebhook, type RegistryOutcome } from '../kaltura/registration';
import type { SecretCandidate, VerificationCredentials, BasicAuthCredential } from '../providers/types';
import { startReceiver } from '../receiver/receiverServer';
import type { ReceiverApi } from '../receiver/types';
import type { TunnelManager, TunnelManagerOptions } from '../tunnel';
import { webhookUrlFor, WEBHOOK_PATHS, type EndpointPlan } from './endpointPlan';
import type { AccountInfo, CleanupPolicy, LocaltunnelChoice, SandboxHandle, SessionPlan, SessionPorts, SessionSnapshot, SessionState, StartStep } from './sessionTypes';

/** A start that cannot go on; the message says what to do. */
export class SessionStartError extends Error {}

export class SessionEngine<S extends SandboxHandle = SandboxHandle> {
  private current: SessionState = 'stopped';
  private activePlan: SessionPlan | undefined;
  private receiverApi: ReceiverApi | undefined;
  private sandboxHandle: S | undefined;
  private tunnelManager: TunnelManager | undefined;
  private currentPublicUrl: string | undefined;
  private connection: KalturaConnection | undefined;
  private templateRegistry: TemplateRegistry | undefined;
  private registered = new Set<number>();
  private accountInfo: AccountInfo | undefined;
  private forwarder: DeliveryForwarder | undefined;
  private error: string | undefined;
  private signingSecrets: SecretCandidate[] = [];
  private basicAuth: BasicAuthCredential[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private eventStore: EventStoreApi,
    private readonly ports: SessionPorts<S>,
  ) {}

  get state(): SessionState {
    return this.current;
  }

  get store(): EventStoreApi {
    return this.eventStore;
  }

  /** The running receiver, sandbox, tunnel, Kaltura connection and registry (undefined while stopped). */
  get receiver(): ReceiverApi | undefined {
    return this.receiverApi;
  }
  get sandbox(): S | undefined {
    return this.sandboxHandle;
  }
  get tunnel(): TunnelManager | undefined {
    return this.tunnelManager;
  }
  get kaltura(): KalturaConnection | undefined {
    return this.connection;
  }
  get registry(): TemplateRegistry | undefined {
    return this.templateRegistry;
  }
  get endpoint(): EndpointPlan | undefined {
    return this.activePlan?.endpoint;
  }

  get account(): Readonly<AccountInfo> | undefined {
    return this.accountInfo;
  }
  get publicUrl(): string | undefined {
    return this.currentPublicUrl;
  }
  get lastError(): string | undefined {
    return this.error;
  }
  /** Ids of the registered templates (replaced, never changed in place, so it may be kept). */
  get registeredIds(): ReadonlySet<number> {
    return this.registered;
  }

  snapshot(): SessionSnapshot {
    const webhookUrl = this.webhookUrl();
    return {
      state: this.current,
      registeredIds: new Set(this.registered),
      ...(this.receiverApi ? { receiverUrl: this.receiverApi.url, responseMode: this.receiverApi.responseMode } : {}),
      ...(this.currentPublicUrl ? { publicUrl: this.currentPublicUrl } : {}),
      ...(webhookUrl ? { webhookUrl } : {}),
      ...(this.accountInfo ? { account: { ...this.accountInfo } } : {}),
      ...(this.error ? { lastError: this.error } : {}),
    };
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Announces a change made from outside (a template registered by a command, say). */
  changed(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.ports.log.error('a session listener failed', err);
      }
    }
  }

  /** What signatures and Basic auth are checked against, read by the receiver on every request. */
  credentials(): VerificationCredentials {
    return { kalturaSecrets: this.signingSecrets, basicAuth: this.basicAuth };
  }

  /** Applies new EnableX credentials at once (the next request is checked against them). */
  setBasicAuth(basicAuth: BasicAuthCredential[]): void {
    this.basicAuth = basicAuth;
  }

  setResponseMode(mode: ReceiverApi['responseMode']): void {
    if (this.receiverApi) this.receiverApi.responseMode = mode;
    this.changed();
  }

  /** Uses another store from the next start (a changed log folder); only while stopped. */
  useStore(store: EventStoreApi): void {
    if (this.current !== 'stopped') throw new SessionStartError('the event store can only be replaced while the session is stopped');
    this.eventStore = store;
  }

  webhookUrl(kind: keyof typeof WEBHOOK_PATHS = 'base'): string | undefined {
    if (!this.activePlan || !this.receiverApi) return undefined;
    return webhookUrlFor(this.activePlan.endpoint, this.receiverApi.url, this.currentPublicUrl, kind);
  }

  async start(plan: SessionPlan, progress: (step: StartStep) => void = () => undefined): Promise<void> {
    if (this.current === 'running' || this.current === 'starting') return;
    const { log } = this.ports;
    this.activePlan = plan;
    this.error = undefined;
    this.signingSecrets = [...plan.kalturaSecrets];
    this.basicAuth = plan.basicAuth;
    this.setState('starting');
    try {
      for (const warning of plan.endpoint.warnings) log.warn(warning);
      if (plan.endpoint.startSandbox) {
        progress('sandbox');
        await this.startSandbox();
      } else if (plan.live) {
        this.connectLive(plan);
      }

      progress('receiver');
      this.receiverApi = await startReceiver({
        host: plan.receiver.host,
        port: plan.receiver.port,
        responseMode: plan.receiver.responseMode,
        ...(plan.receiver.maxBodyBytes !== undefined ? { maxBodyBytes: plan.receiver.maxBodyBytes } : {}),
        credentials: () => this.credentials(),
        store: this.eventStore,
      });
      log.info(`receiver listening on ${this.receiverApi.url} (response mode ${plan.receiver.responseMode})`);
      this.ports.onReceiver?.(this.receiverApi);

      if (plan.forwardTo) {
        const { onForwarded } = this.ports;
        this.forwarder = new DeliveryForwarder(this.eventStore, { target: plan.forwardTo, ...(onForwarded ? { onResult: onForwarded } : {}) });
      }
      if (this.connection && plan.registryDirectory) {
        this.templateRegistry = new TemplateRegistry({ directory: plan.registryDirectory, templates: this.connection.templates });
        await this.syncRegisteredIds();
      }

      if (plan.endpoint.tunnel !== 'none') {
        progress(plan.endpoint.tunnel);
        try {
          await this.startTunnel();
        } catch (err) {
          if (plan.tunnelRequired) throw err;
          // The receiver stays useful locally (samples, replay); the user can fix the tunnel and start it again.
          this.error = `tunnel: ${messageOf(err)}`;
          log.error('the tunnel did not start', err);
        }
      }
      this.setState('running');
      void this.offerOrphanCleanup();
    } catch (err) {
      this.error = messageOf(err);
      log.error('start failed', err);
      await this.teardown();
      this.setState('stopped');
      throw err;
    }
  }

  private async startSandbox(): Promise<void> {
    if (!this.ports.startSandbox) throw new SessionStartError('this host cannot start the embedded sandbox');
    const sandbox = await this.ports.startSandbox();
    this.sandboxHandle = sandbox;
    this.ports.log.registerSecret(sandbox.adminSecret);
    this.signingSecrets = [{ label: `sandbox admin secret (partner ${sandbox.partnerId})`, secret: sandbox.adminSecret }, ...this.signingSecrets];
    this.connection = createKalturaConnection({
      log: (line) => this.ports.log.api(line),
      serviceUrl: sandbox.url,
      session: { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret },
    });
    this.accountInfo = { mode: 'sandbox', key: 'sandbox', partnerId: sandbox.partnerId, serviceUrl: sandbox.url };
    this.ports.log.info(`sandbox running at ${sandbox.url} (partner ${sandbox.partnerId})`);
  }

  private connectLive(plan: SessionPlan): void {
    const live = plan.live!;
    this.connection = live.session ? createKalturaConnection({ log: (line) => this.ports.log.api(line), serviceUrl: live.serviceUrl, session: live.session }) : undefined;
    this.accountInfo = {
      mode: 'live',
      key: live.key,
      serviceUrl: live.serviceUrl,
      ...(live.partnerId !== undefined ? { partnerId: live.partnerId } : {}),
      ...(this.connection ? {} : { unavailable: live.unavailable ?? 'No Kaltura credentials are stored for this account.' }),
    };
    const who = live.partnerId !== undefined ? `partner ${live.partnerId}` : 'no partner id';
    this.ports.log.info(`live account: ${who} at ${live.serviceUrl}${this.connection ? '' : ' (API unavailable: no credentials)'}`);
  }

  /**
   * Opens the tunnel the plan names; `change` replaces the endpoint and localtunnel choice first (the user picked
   * another provider after a failed start).
   */
  async startTunnel(change?: { endpoint: EndpointPlan; localtunnel?: LocaltunnelChoice }): Promise<void> {
    const receiver = this.receiverApi;
    if (!receiver || !this.activePlan) throw new SessionStartError('start the receiver before the tunnel');
    if (this.tunnelManager) return;
    if (change) {
      const { localtunnel, ...rest } = this.activePlan;
      this.activePlan = { ...rest, endpoint: change.endpoint, ...(change.localtunnel ? { localtunnel: change.localtunnel } : {}) };
    }
    const plan = this.activePlan;
    if (plan.endpoint.tunnel === 'none') return;
    const { createTunnelManager } = await import('../tunnel');
    const external = plan.endpoint.tunnel === 'portForwarding' ? await this.forwardedUrl(receiver) : plan.endpoint.externalUrl;
    const options: TunnelManagerOptions =
      plan.endpoint.tunnel !== 'localtunnel' && external
        ? { ...plan.tunnelTuning, kind: 'external', publicUrl: external }
        : {
            ...plan.tunnelTuning,
            kind: 'localtunnel',
            localPort: receiver.port,
            localHost: receiver.host,
            ...(plan.localtunnel?.host ? { host: plan.localtunnel.host } : {}),
            ...(plan.localtunnel?.subdomain ? { subdomain: plan.localtunnel.subdomain } : {}),
          };
    const tunnel = createTunnelManager(options);
    this.watchTunnel(tunnel);
    this.ports.onTunnel?.(tunnel);
    this.tunnelManager = tunnel;
    try {
      this.currentPublicUrl = await tunnel.start();
      if (this.error?.startsWith('tunnel:')) this.error = undefined;
      this.ports.log.info(`public URL: ${this.currentPublicUrl}`);
    } catch (err) {
      this.tunnelManager = undefined;
      await tunnel.stop().catch(() => undefined);
      throw err;
    } finally {
      this.changed();
    }
  }

  private forwardedUrl(receiver: ReceiverApi): Promise<string> {
    if (!this.ports.forwardedUrl) throw new SessionStartError('this host has no port forwarding; use localtunnel or an external URL');
    return this.ports.forwardedUrl(receiver);
  }

  private watchTunnel(tunnel: TunnelManager): void {
    const { log } = this.ports;
    tunnel.on('up', (url, info) => {
      if (this.tunnelManager !== tunnel) return;
      this.currentPublicUrl = url;
      log.info(`tunnel up: ${url}${info.reconnected ? ' (reconnected)' : ''}`);
      this.changed();
    });
    tunnel.on('down', (reason) => {
      log.warn(`tunnel down: ${reason}`);
      this.changed();
    });
    tunnel.on('url-changed', (oldUrl, newUrl) => {
      if (this.tunnelManager !== tunnel) return;
      this.currentPublicUrl = newUrl;
      log.warn(`tunnel URL changed from ${oldUrl} to ${newUrl}; re-pointing registered templates`);
      void this.repointAll();
      this.changed();
    });
    tunnel.on('probe', (result) => {
      if (!result.ok) log.warn(`tunnel self-probe failed: ${result.failure?.message ?? 'unknown'}`);
    });
    tunnel.on('log', (m) => log.info(`tunnel: ${m}`));
  }

  async stopTunnel(): Promise<void> {
    const tunnel = this.tunnelManager;
    this.tunnelManager = undefined;
    this.currentPublicUrl = undefined;
    if (tunnel) {
      await tunnel.stop();
      this.ports.log.info('tunnel stopped');
    }
    this.changed();
  }

  /** Reads the ids of this account's registered templates from the registry file. */
  async syncRegisteredIds(): Promise<void> {
    const records = this.templateRegistry ? await this.templateRegistry.list().catch(() => []) : [];
    this.registered = new Set(records.flatMap((r) => (r.id === undefined ? [] : [r.id])));
    this.changed();
  }

  /** Clones, points and activates a system template for this session (registration.ts); the registry records it. */
  async registerTemplate(source: string | number, publicBaseUrl: string, workspaceToken: string): Promise<RegisteredWebhook> {
    const registry = this.requireRegistry();
    const result = await registerWebhook({ registry, template: source, publicBaseUrl, workspaceToken });
    await this.syncRegisteredIds();
    return result;
  }

  /** Points one of the partner's templates at publicBaseUrl; its registry record follows when it is ours. */
  async repointTemplate(template: { id: number; systemName?: string | undefined }, publicBaseUrl: string): Promise<string> {
    const url = await this.requireRegistry().pointTemplate(template, publicBaseUrl);
    this.ports.log.info(`re-pointed template ${template.id} → ${url}`);
    return url;
  }

  /** Deletes one of the partner's templates; a registered one leaves the registry too. */
  async deleteTemplate(template: { id: number; systemName?: string | undefined }): Promise<void> {
    await this.requireRegistry().deleteTemplate(template);
    this.ports.log.info(`deleted template ${template.id}`);
    await this.syncRegisteredIds();
  }

  private requireRegistry(): TemplateRegistry {
    if (!this.templateRegistry) throw new Error('the template registry is not ready (the session is not running with a Kaltura account)');
    return this.templateRegistry;
  }

  /** Points every template this session registered at the current webhook URL. */
  async repointAll(): Promise<RegistryOutcome[]> {
    const base = this.webhookUrl();
    if (!this.templateRegistry || !base) return [];
    const outcomes = await this.templateRegistry.rePoint(base);
    this.logOutcomes(outcomes);
    await this.syncRegisteredIds();
    return outcomes;
  }

  /** Disables or deletes this session's templates (or the given orphans) per the policy. */
  async cleanupRegistered(policy: CleanupPolicy = this.activePlan?.cleanupPolicy ?? 'keep', orphans?: Orphan[]): Promise<RegistryOutcome[]> {
    if (!this.templateRegistry || policy === 'keep') return [];
    const outcomes = await this.templateRegistry.cleanup(policy, orphans ? { records: orphans.map((o) => o.record) } : {});
    this.logOutcomes(outcomes);
    await this.syncRegisteredIds();
    return outcomes;
  }

  private logOutcomes(outcomes: RegistryOutcome[]): void {
    for (const o of outcomes) {
      const what = `template ${o.record.id ?? '?'} (${o.record.name ?? o.record.systemName})`;
      if (o.ok) this.ports.log.info(`${o.action} ${what}`);
      else this.ports.log.error(`could not ${o.action === 'repointed' ? 're-point' : o.action.replace(/d$/, '')} ${what}`, o.error);
    }
  }

  private async offerOrphanCleanup(): Promise<void> {
    const registry = this.templateRegistry;
    if (!registry || !this.ports.ask || this.accountInfo?.mode === 'sandbox') return;
    let orphans: Orphan[];
    try {
      orphans = await registry.findOrphans();
    } catch (err) {
      this.ports.log.error('could not look for templates left by an earlier session', err);
      return;
    }
    if (!orphans.length) return;
    const answer = await this.ports.ask({ kind: 'orphans', orphans });
    if (registry !== this.templateRegistry) return; // stopped meanwhile
    if (answer === 'disable' || answer === 'delete') await this.cleanupRegistered(answer, orphans);
    else if (answer === 'adopt') {
      await registry.adopt(orphans.map((o) => o.record));
      await this.repointAll();
    }
    this.changed();
  }

  /** Cleans up the registered templates per the policy (the plan's by default), then closes everything but the store. */
  async stop(policy?: CleanupPolicy): Promise<RegistryOutcome[]> {
    if (this.current === 'stopped' || this.current === 'stopping') return [];
    this.setState('stopping');
    let done: RegistryOutcome[] = [];
    try {
      done = await this.cleanupRegistered(policy).catch((err: unknown) => {
        this.ports.log.error('cleanup of registered templates failed', err);
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
      ['receiver', async () => {
        await this.receiverApi?.close();
        this.receiverApi = undefined;
      }],
      ['event store flush', () => this.eventStore.flush()],
      ['forwarding', async () => {
        await this.forwarder?.idle();
        this.forwarder?.dispose();
        this.forwarder = undefined;
      }],
      ['sandbox', async () => {
        await this.sandboxHandle?.close();
        this.sandboxHandle = undefined;
      }],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (err) {
        this.ports.log.error(`stopping the ${name} failed`, err);
      }
    }
    // Sandbox partners and their templates die with the sandbox; their registry file would only pile up.
    if (this.accountInfo?.mode === 'sandbox' && this.templateRegistry) await rm(this.templateRegistry.filePath, { force: true }).catch(() => undefined);
    this.connection = undefined;
    this.templateRegistry = undefined;
    this.registered = new Set();
    this.signingSecrets = [];
    this.currentPublicUrl = undefined;
    this.ports.log.info('stopped');
  }

  private setState(state: SessionState): void {
    this.current = state;
    this.changed();
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
