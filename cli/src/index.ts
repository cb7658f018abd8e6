// The CLI's public surface: its commands run in-process (system tests), and the cluster settings it reads (deploy checks).
export { clusterOptions, type ClusterFlags, type ClusterOptions } from './cluster/clusterOptions';
export { buildProgram, runCli, type CliEnvironment } from './program';
