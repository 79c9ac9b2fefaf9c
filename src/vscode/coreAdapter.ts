// The one place where the extension reaches into core modules that load lazily (sandbox, tunnel, samples, codegen).
// Each loader is a literal dynamic import, so esbuild bundles the module but evaluates it only on first use,
// which keeps activation fast.
import type { Sandbox, SandboxOptions } from '../sandbox/types';
import type { TunnelManager, TunnelManagerOptions } from '../core/tunnel';
import type { SampleRequest } from '../core/providers/samples';
import type { VerificationCredentials } from '../core/providers/types';
import { SAMPLE_TOKEN_HEADER } from '../protocol/workbench';

export async function loadStartSandbox(): Promise<(options: SandboxOptions) => Promise<Sandbox>> {
  return (await import('../sandbox/index')).startSandbox;
}

export async function loadCreateTunnelManager(): Promise<(options: TunnelManagerOptions) => TunnelManager> {
  return (await import('../core/tunnel')).createTunnelManager;
}

export interface SampleMenuEntry {
  kind: string;
  label: string;
  description: string;
}

export interface SampleSender {
  kinds: SampleMenuEntry[];
  /** Builds the sample with the workbench's own credentials, so it verifies. */
  build(kind: string, credentials: VerificationCredentials, partnerId?: number): SampleRequest;
  /** Builds the sample and POSTs it to the receiver. */
  /** `sampleToken`: the receiver's, so the request is recorded as a sample rather than a delivery. */
  send(kind: string, receiver: { url: string; sampleToken: string }, credentials: VerificationCredentials, partnerId?: number): Promise<{ status: number }>;
}

const SAMPLE_KINDS: SampleMenuEntry[] = [
  { kind: 'kaltura-json', label: 'Kaltura: Entry Status Changed (JSON, sha256)', description: 'HTTP notification signed with the admin secret, X-KALTURA-HASH-ALGO sha256' },
  { kind: 'kaltura-json-sha1', label: 'Kaltura: Entry Status Changed (JSON, sha1, no algo header)', description: 'An older (Gen 2) server: sha1 signature only' },
  { kind: 'kaltura-xml', label: 'Kaltura: XML body (data=<notification>…)', description: 'ObjectData format XML' },
  { kind: 'kaltura-php', label: 'Kaltura: PHP-serialized body', description: 'ObjectData format PHP' },
  { kind: 'kaltura-fields', label: 'Kaltura: form fields (DataFields)', description: 'entry_id=…&entry_status=…' },
  { kind: 'kaltura-unsigned', label: 'Kaltura: unsigned notification', description: 'A job without signSecret: no signature headers' },
  { kind: 'kaltura-bad-signature', label: 'Kaltura: wrong signature', description: 'Signed with another secret: verification fails' },
  { kind: 'kaltura-legacy', label: 'Kaltura legacy notification (sig)', description: 'Pre-plugin partner notification, md5 sig' },
  { kind: 'kaltura-legacy-multi', label: 'Kaltura legacy multi-notification', description: 'Three notifications in one request' },
  { kind: 'enablex-recording', label: 'EnableX: recording', description: 'Basic auth with the workbench credentials' },
  { kind: 'enablex-roomdrop', label: 'EnableX: roomdrop', description: 'Basic auth with the workbench credentials' },
  { kind: 'enablex-transcoded', label: 'EnableX: transcoded', description: 'Basic auth with the workbench credentials' },
  { kind: 'enablex-file-transfer', label: 'EnableX: file-transfer', description: 'Basic auth with the workbench credentials' },
];

export async function loadSamples(): Promise<SampleSender> {
  const { buildSampleRequest } = await import('../core/providers/samples');
  const { request } = await import('undici');
  const sender: SampleSender = {
    kinds: SAMPLE_KINDS,
    build(kind, credentials, partnerId) {
      const secret = credentials.kalturaSecrets[0]?.secret;
      const basic = credentials.basicAuth[0];
      const basicAuth = basic ? { username: basic.username, password: basic.password } : undefined;
      const common = partnerId ? { partnerId } : {};
      let sample;
      switch (kind) {
        case 'kaltura-json':
          sample = buildSampleRequest('kaltura', { ...common, format: 'json', algo: 'sha256', ...(secret ? { secret } : {}), path: '/kaltura/sample' });
          break;
        case 'kaltura-json-sha1':
          sample = buildSampleRequest('kaltura', { ...common, format: 'json', algo: 'sha1', sendAlgoHeader: false, ...(secret ? { secret } : {}), path: '/kaltura/sample' });
          break;
        case 'kaltura-xml':
          sample = buildSampleRequest('kaltura', { ...common, format: 'xml', ...(secret ? { secret } : {}), path: '/kaltura/sample' });
          break;
        case 'kaltura-php':
          sample = buildSampleRequest('kaltura', { ...common, format: 'php', ...(secret ? { secret } : {}), path: '/kaltura/sample' });
          break;
        case 'kaltura-fields':
          sample = buildSampleRequest('kaltura', { ...common, format: 'fields', ...(secret ? { secret } : {}), path: '/kaltura/sample' });
          break;
        case 'kaltura-unsigned':
          sample = buildSampleRequest('kaltura', { ...common, format: 'json', path: '/kaltura/sample' });
          break;
        case 'kaltura-bad-signature':
          sample = buildSampleRequest('kaltura', { ...common, format: 'json', algo: 'sha256', secret: 'not-the-admin-secret-0000000000', path: '/kaltura/sample' });
          break;
        case 'kaltura-legacy':
          sample = buildSampleRequest('kaltura-legacy', { ...common, count: 1, ...(secret ? { secret } : {}), path: '/kaltura/legacy' });
          break;
        case 'kaltura-legacy-multi':
          sample = buildSampleRequest('kaltura-legacy-multi', { ...common, count: 3, ...(secret ? { secret } : {}), path: '/kaltura/legacy' });
          break;
        default: {
          const m = /^enablex-(.+)$/.exec(kind);
          if (!m) throw new Error(`unknown sample kind "${kind}"; pick one from "Trigger Sample Event"`);
          sample = buildSampleRequest('enablex', { type: m[1]!, ...(basicAuth ? { basicAuth } : {}), path: '/enablex' });
        }
      }
      return sample;
    },
    async send(kind, receiver, credentials, partnerId) {
      const sample = sender.build(kind, credentials, partnerId);
      const url = receiver.url.replace(/\/+$/, '') + sample.path;
      const headers = Object.fromEntries(Object.entries(sample.headers).filter(([k]) => k.toLowerCase() !== 'host'));
      headers[SAMPLE_TOKEN_HEADER] = receiver.sampleToken;
      const res = await request(url, { method: sample.method as 'POST', headers, body: sample.body.length ? sample.body : undefined });
      await res.body.dump();
      return { status: res.statusCode };
    },
  };
  return sender;
}

export type { Sandbox, TunnelManager };
