// The single-process mode's public surface: the five services in one process on the embedded adapters.
export { apiKeys, masterKey, readEmbeddedConfig, type EmbeddedConfig } from './config';
export { startEmbeddedSystem, type EmbeddedDeps, type RunningEmbeddedSystem } from './embeddedSystem';
