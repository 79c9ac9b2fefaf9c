// The Kaltura API client: sessions/KS, the template service, typed errors and the registration workflow.
export * from './ks';
export * from './errors';
export * from './apiClient';
export * from './schemas';
export * from './session';
export * from './templateService';
export * from './connection';
export * from './registration';
export * from './entryService';
export * from './trigger';
