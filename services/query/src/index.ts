// The query service's public surface: what the embedded mode, the deploy checks and system tests compose it from.
export { readQueryServiceConfig, type QueryServiceConfig } from './config';
export { startQueryService, type QueryServiceDeps, type RunningQueryService } from './queryService';
