import fs from 'node:fs';
import { parse } from 'yaml';
import { interpolate } from './interpolate';

/** The parts of a Compose service these checks look at. */
export interface ComposeService {
  readonly image?: string;
  /** Started only when one of these is active (`docker compose --profile <name>`); always when absent. */
  readonly profiles?: readonly string[];
  /** `host:address` entries for /etc/hosts: hosts outside Compose that the service names on purpose. */
  readonly extra_hosts?: readonly string[] | Record<string, string>;
  readonly build?: {
    readonly context?: string;
    readonly dockerfile?: string;
    readonly args?: Record<string, string>;
  };
  readonly environment?: Record<string, string | number | boolean | null> | readonly string[];
  readonly ports?: readonly (string | { readonly target: number })[];
  readonly healthcheck?: { readonly test?: string | readonly string[]; readonly disable?: boolean };
  readonly depends_on?: readonly string[] | Record<string, { readonly condition?: string }>;
}

export interface ComposeFile {
  readonly services: Record<string, ComposeService>;
  readonly [key: string]: unknown;
}

/** docker-compose.yml parsed, with variables substituted from `env` (Compose reads the shell's environment). */
export function readComposeFile(
  file: string,
  env: Readonly<Record<string, string | undefined>> = {},
): ComposeFile {
  return interpolate(parse(fs.readFileSync(file, 'utf8')) as ComposeFile, env);
}

/** A service's environment as name → value (both the map and the `NAME=value` list forms). */
export function composeEnvironment(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(
      (env as readonly string[]).map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  return Object.fromEntries(
    Object.entries(env as Record<string, string | number | boolean | null>).map(([name, value]) => [
      name,
      value === null ? '' : String(value),
    ]),
  );
}

/** The container side of each published port. */
export function containerPorts(service: ComposeService): number[] {
  return (service.ports ?? []).map((port) =>
    typeof port === 'string' ? Number(port.split(':').at(-1)!.split('/')[0]) : port.target,
  );
}

export function dependencies(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps))
    return Object.fromEntries((deps as readonly string[]).map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(deps as Record<string, { condition?: string }>).map(([name, dep]) => [
      name,
      dep.condition ?? 'service_started',
    ]),
  );
}

/** The hosts a service maps itself with `extra_hosts` (both the list and the map forms). */
export function extraHosts(service: ComposeService): string[] {
  const hosts = service.extra_hosts ?? [];
  if (Array.isArray(hosts)) return (hosts as readonly string[]).map((entry) => entry.split(/[:=]/)[0]!);
  return Object.keys(hosts);
}
