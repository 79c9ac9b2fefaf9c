// One object that wires a service URL, a session and the services the workbench calls together: what the CLI and the
// extension build from their settings.
import { KalturaApiClient, type KalturaApiClientOptions } from './apiClient';
import { SessionProvider, type SessionConfig, type SessionProviderOptions } from './session';
import { CategoryService } from './categoryService';
import { MediaEntryService } from './entryService';
import { EventNotificationTemplateService } from './templateService';

export interface KalturaConnectionOptions extends KalturaApiClientOptions {
  session: SessionConfig;
  sessionOptions?: SessionProviderOptions;
}

export interface KalturaConnection {
  client: KalturaApiClient;
  session: SessionProvider;
  templates: EventNotificationTemplateService;
  media: MediaEntryService;
  categories: CategoryService;
}

export function createKalturaConnection(options: KalturaConnectionOptions): KalturaConnection {
  const { session: sessionConfig, sessionOptions, ...clientOptions } = options;
  const client = new KalturaApiClient(clientOptions);
  const session = new SessionProvider(client, sessionConfig, sessionOptions);
  return {
    client,
    session,
    templates: new EventNotificationTemplateService(session),
    media: new MediaEntryService(session),
    categories: new CategoryService(session),
  };
}
