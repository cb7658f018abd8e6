// pnpm stack [--with migration] | stack:down: the local infrastructure, then every service under services/ as its own
// process on its default port. Idempotent like infra:up: only what is not running starts, so it also brings back a
// dead service. A service with a profile in its package.json (the migrator: "profile": "migration") starts only
// with --with <profile>: it needs what the stack cannot make up, a legacy database (LEGACY_DATABASE_URL).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { developmentMasterKey, MASTER_KEY_VARIABLE, readOrCreateSecret } from '@eventfold/crypto';
import {
  declaredServices,
  discoverServices,
  down,
  endpointsOf,
  InfraError,
  infraPaths,
  localServers,
  portLayout,
  portOffsetOf,
  up,
  type ServerSpec,
} from '@eventfold/infra';

const servicesDir = path.resolve(__dirname, '..', '..', 'services');
const randomSecret = () => randomBytes(32).toString('base64');

/** A secret the caller set, else one generated once (mode 0600) and kept in the infra home: the same every run. */
function secret(variable: string, file: string, generate: () => string): string {
  return process.env[variable] || readOrCreateSecret(path.join(infraPaths().homeDir, file), generate).value;
}

/**
 * API_KEYS for the gateway: the caller's, else a development key with every scope, generated once and kept in the
 * infra home so that a second `pnpm stack` (or a restarted gateway) uses the same one.
 */
function apiKeys(): { value: string; generatedKey: string | null } {
  if (process.env.API_KEYS) return { value: process.env.API_KEYS, generatedKey: null };
  const file = path.join(infraPaths().homeDir, 'dev-api-key');
  const key = readOrCreateSecret(file, () => `dev-${randomBytes(18).toString('base64url')}`).value;
  return { value: `${key}=users:read+users:write+admin`, generatedKey: key };
}

/**
 * KEY_ENCRYPTION_KEY for the command service, projector and notifier: the caller's, else a development master key
 * generated once (mode 0600) and kept in the infra home, so that personal data written by one `pnpm stack` stays
 * readable in the next. Losing the file loses that data, as losing a real master key would.
 */
function masterKey(): { value: string; notice: string | null } {
  const current = process.env[MASTER_KEY_VARIABLE];
  if (current?.trim()) return { value: current, notice: null };
  const file = path.join(infraPaths().homeDir, 'dev-master-key');
  const { notice } = developmentMasterKey(file);
  return { value: fs.readFileSync(file, 'utf8').trim(), notice };
}

/**
 * What the services read to find the servers and each other, for the layout in use; what the caller set passes
 * through unchanged.
 */
function endpointVariables(offset: number, services: readonly ServerSpec[]): Record<string, string> {
  const servers = endpointsOf(portLayout(offset));
  const servicePort = (name: string) => services.find((s) => s.name === name)!.ports[0];
  return {
    ...servers,
    KEY_STORE_URI: servers.MONGO_SHARDS.split(',')[0]!,
    COMMAND_URL: `http://127.0.0.1:${servicePort('command')}`,
    QUERY_URL: `http://127.0.0.1:${servicePort('query')}`,
    // The notifier asks the local sink's mailbox whether a message whose reply was lost did arrive.
    SMTP_MAILBOX_DIR: path.join(infraPaths().dataDir('smtp'), 'mailbox'),
  };
}

/** The profiles the services under services/ declare. */
function knownProfiles(): string[] {
  return [...new Set(declaredServices(servicesDir).flatMap((s) => (s.profile ? [s.profile] : [])))];
}

/** The profiles of `--with a,b`. */
function profilesOf(argv: readonly string[]): string[] {
  const at = argv.indexOf('--with');
  return at >= 0 ? (argv[at + 1] ?? '').split(',').filter(Boolean) : [];
}

/** What a profile's services need before they can start, and how else to run them. */
function profileProblem(profile: string): string | null {
  if (profile === 'migration' && !process.env.LEGACY_DATABASE_URL)
    return 'the migrator (--with migration) follows the legacy database in LEGACY_DATABASE_URL, which is not set (or run it alone: pnpm eventfold migrate follow --from postgres://…)';
  return null;
}

async function main(command: string | undefined, argv: readonly string[]): Promise<number> {
  const say = (line: string) => console.log(line);
  const offset = portOffsetOf();
  const profiles = profilesOf(argv);
  const unknown = profiles.filter((profile) => !knownProfiles().includes(profile));
  if (unknown.length > 0) {
    console.error(`--with knows ${knownProfiles().join(', ')}, not ${unknown.join(', ')}`);
    return 2;
  }
  const services = discoverServices(servicesDir, offset, profiles);
  const servers = localServers(portLayout(offset));
  if (command === 'up') {
    const started = Date.now();
    const problems = profiles.flatMap((profile) => profileProblem(profile) ?? []);
    if (problems.length > 0) {
      for (const problem of problems) console.error(problem);
      return 1;
    }
    await up(servers, { say });
    for (const [name, value] of Object.entries(endpointVariables(offset, services)))
      process.env[name] ??= value;
    const keys = apiKeys();
    process.env.API_KEYS = keys.value;
    // Kept, not per run: the key ids are in the audit trail, and a service started alone must share the token.
    process.env.API_KEY_ID_SECRET = secret('API_KEY_ID_SECRET', 'api-key-id-secret', randomSecret);
    // The command and query services answer only the gateway, which alone holds this token.
    process.env.INTERNAL_TOKEN = secret('INTERNAL_TOKEN', 'internal-token', randomSecret);
    const master = masterKey();
    process.env[MASTER_KEY_VARIABLE] = master.value;
    if (master.notice) say(master.notice);
    const results = await up(services, { say });
    for (const r of results) console.log(`${r.server}: ${r.outcome} (${r.seconds.toFixed(1)} s)`);
    console.log(
      `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${services.length} services)`,
    );
    if (!profiles.includes('migration'))
      console.log(
        'The migrator is not started (it needs a legacy database): `pnpm eventfold migrate follow --from postgres://…`, or LEGACY_DATABASE_URL=postgres://… pnpm stack --with migration',
      );
    if (keys.generatedKey) {
      const gateway = services.find((s) => s.name === 'gateway')!.address;
      console.log(
        `\nThe gateway is on ${gateway}; a development API key with every scope is in ${infraPaths().homeDir}/dev-api-key.`,
      );
      console.log('Send a first request:');
      console.log(
        `  curl -s -X POST ${gateway}/v1/users -H 'Authorization: Bearer ${keys.generatedKey}' -H 'content-type: application/json' -d '{"name":"Ada Lovelace","email":"ada@example.com"}'`,
      );
    }
    return 0;
  }
  if (command === 'down') {
    // Every service, whatever profiles its `up` had: down is a no-op for one that is not running.
    await down(discoverServices(servicesDir, offset, knownProfiles()), { say });
    await down(servers, { say, purge: process.argv.includes('--purge') });
    return 0;
  }
  console.error('usage: stack up [--with migration] | down [--purge]');
  return 2;
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof InfraError || error instanceof AggregateError ? error.message : error);
    process.exit(1);
  },
);
