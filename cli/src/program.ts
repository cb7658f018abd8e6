import { Command, CommanderError } from 'commander';
import { ReadModelControl, ShardSet } from '@eventfold/mongo';
import { createLogger } from '@eventfold/observability';
import { notifierLedgerLocation, reopenNotifications } from '@eventfold/notifier-service';
import { clusterOptions, type ClusterFlags } from './cluster/clusterOptions';
import { cliKafka, reachableLog, withAdmin } from './cluster/kafkaAdmin';
import { serviceAcls, type AclHolder } from './cluster/serviceAcls';
import { emailsBackfill, leftUnreserved } from './commands/emailsBackfill';
import { forget } from './commands/forget';
import { asyncApiDocument, DEFAULT_PARTITIONS } from './commands/asyncApi';
import { applyAcls, printAcls } from './commands/kafkaAcls';
import { pendingDeadLetters, printDeadLetters, redrive } from './commands/dlq';
import { lag, migrationLag } from './commands/lag';
import { migrateFollow, type FollowOptions } from './commands/migrateFollow';
import { migrateImport } from './commands/migrateImport';
import { migrateRejected } from './commands/migrateRejected';
import { migrateVerify } from './commands/migrateVerify';
import { CliError, type Output } from './commands/output';
import { rebuild } from './commands/rebuild';
import { parseReplayTarget, replay } from './commands/replay';
import { schemasCheck } from './commands/schemasCheck';
import { schemasRegister } from './commands/schemasRegister';
import { emailStreamIdOf, printStream, readStream, streamIdOf } from './commands/streamsShow';

export interface CliEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly out: Output;
}

/** The `eventfold` command tree. Every command has --help; failures are one line and a non-zero exit. */
/** The services the operator's commands talk to: the flag, else the environment, else the stack's port. */
const COMMAND_URL_FLAG = [
  '--command-url <url>',
  'the command service (default: $COMMAND_URL or http://127.0.0.1:8090)',
] as const;
const QUERY_URL_FLAG = [
  '--query-url <url>',
  'the query service (default: $QUERY_URL or http://127.0.0.1:8091)',
] as const;
const commandUrlOf = (flag: string | undefined, env: NodeJS.ProcessEnv) =>
  flag ?? env.COMMAND_URL ?? 'http://127.0.0.1:8090';
const queryUrlOf = (flag: string | undefined, env: NodeJS.ProcessEnv) =>
  flag ?? env.QUERY_URL ?? 'http://127.0.0.1:8091';

export function buildProgram({ env, out }: CliEnvironment): Command {
  const program = new Command('eventfold')
    .description('Operate eventfold: schemas, replay, rebuild, streams, lag, dead letters, Kafka ACLs')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.line(s.trimEnd()), writeErr: (s) => out.error(s.trimEnd()) });

  program
    .command('asyncapi')
    .description(
      'Print the AsyncAPI 3.0 document of every topic eventfold owns (packages/users-api/asyncapi.json is its output)',
    )
    .option(
      '--partitions <n>',
      `partitions of the deployment (default: $PARTITIONS or ${DEFAULT_PARTITIONS})`,
    )
    .action((opts: { partitions?: string }) => {
      const partitions = Number(opts.partitions ?? env.PARTITIONS ?? DEFAULT_PARTITIONS);
      if (!Number.isInteger(partitions) || partitions < 1)
        throw new CliError(`asyncapi: --partitions must be a positive whole number, not ${opts.partitions}`);
      out.line(JSON.stringify(asyncApiDocument(partitions), null, 2));
    });

  const schemas = program
    .command('schemas')
    .description('Check and register the Avro schemas under schemas/');
  schemas
    .command('check')
    .description(
      'Check that every schema is valid Avro and compatible with its earlier versions under its rule (BACKWARD_TRANSITIVE; FULL_TRANSITIVE for the public integration records); with a registry, also that the records on the log still name their schemas there',
    )
    .option('--dir <dir>', 'schemas folder (default: the repository schemas/)')
    .option('--registry <url>', 'Confluent API base URL (default: $SCHEMA_REGISTRY_URL)')
    .option('--local', 'check locally only, even when a registry is configured')
    .option('--brokers <list>', 'Kafka bootstrap servers (default: $KAFKA_BROKERS or 127.0.0.1:9092)')
    .option('--prefix <prefix>', 'topic prefix of the environment (default: $TOPIC_PREFIX or none)')
    .action(async (opts: ClusterFlags & { dir?: string; registry?: string; local?: boolean }) => {
      const cluster = clusterOptions(env, opts);
      await schemasCheck(
        {
          dir: opts.dir,
          registryUrl: opts.local ? undefined : (opts.registry ?? env.SCHEMA_REGISTRY_URL),
          log: { cluster, open: () => reachableLog(cluster.kafka) },
        },
        out,
      );
    });
  schemas
    .command('register')
    .description('Register every version of every schema under its subject (idempotent)')
    .option('--dir <dir>', 'schemas folder (default: the repository schemas/)')
    .option('--registry <url>', 'Confluent API base URL (default: $SCHEMA_REGISTRY_URL)')
    .action(async (opts: { dir?: string; registry?: string }) => {
      const registryUrl = opts.registry ?? env.SCHEMA_REGISTRY_URL;
      if (!registryUrl)
        throw new CliError('schemas register: no registry: pass --registry or set SCHEMA_REGISTRY_URL');
      await schemasRegister({ dir: opts.dir, registryUrl }, out);
    });
  const quiet = createLogger('cli', 'silent');
  const seconds = (name: string) => (value: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw new CliError(`${name} must be a number of seconds, not '${value}'`);
    return parsed * 1000;
  };
  const withCluster = (command: Command) =>
    command
      .option('--brokers <list>', 'Kafka bootstrap servers (default: $KAFKA_BROKERS or 127.0.0.1:9092)')
      .option('--prefix <prefix>', 'topic prefix of the environment (default: $TOPIC_PREFIX or none)');

  withCluster(
    program
      .command('replay')
      .description("Reset a consumer group's offsets, so that its consumers process the log again from there")
      .requiredOption('--group <group>', 'the consumer group, e.g. projector.users')
      .requiredOption('--to <target>', 'earliest, latest, an ISO time (2026-11-26T15:00:00Z) or an offset')
      .option('--topic <topic>', 'reset this topic only (default: every topic the group has committed on)')
      .option('--wait', 'wait for the group to have no active members instead of refusing')
      .option('--timeout <seconds>', 'how long --wait waits', seconds('--timeout'), 300_000),
  ).action(
    async (
      opts: ClusterFlags & { group: string; to: string; topic?: string; wait?: boolean; timeout: number },
    ) => {
      const to = parseReplayTarget(opts.to);
      const cluster = clusterOptions(env, opts);
      await withAdmin(cliKafka(cluster.kafka), (admin) =>
        replay(
          admin,
          {
            groupId: opts.group,
            to,
            topics: opts.topic ? [opts.topic] : undefined,
            wait: opts.wait ?? false,
            waitMs: opts.timeout,
          },
          out,
        ),
      );
    },
  );

  withCluster(
    program
      .command('rebuild')
      .description(
        'Blue/green rebuild of a read model: build a new version beside the live one, then switch reads to it',
      )
      .argument('<read-model>', 'the read model to rebuild: users-read-model')
      .option(
        '--shards <uris>',
        'MongoDB URIs of the new version (a resharding; default: the current shards)',
      )
      .option('--drop-old', 'drop the old version and its consumer group after the switch')
      .option('--handover-lag <records>', 'start the handover below this many records to go', '200')
      .option('--progress-every <seconds>', 'progress line interval', seconds('--progress-every'), 2000)
      .option('--step-timeout <seconds>', 'bound on each wait', seconds('--step-timeout'), 120_000)
      .option(
        '--drop-after <seconds>',
        'delay between the switch and --drop-old',
        seconds('--drop-after'),
        10_000,
      ),
  ).action(
    async (
      readModel: string,
      opts: ClusterFlags & {
        shards?: string;
        dropOld?: boolean;
        handoverLag: string;
        progressEvery: number;
        stepTimeout: number;
        dropAfter: number;
      },
    ) => {
      if (readModel !== 'users-read-model')
        throw new CliError(
          `rebuild: unknown read model '${readModel}': the one there is is users-read-model`,
        );
      const handoverLag = Number(opts.handoverLag);
      if (!Number.isInteger(handoverLag) || handoverLag < 0)
        throw new CliError(`--handover-lag must be a whole number, not '${opts.handoverLag}'`);
      const cluster = clusterOptions(env, opts);
      const control = await ShardSet.connect(cluster.mongoShards.slice(0, 1), cluster.readDatabase).catch(
        (error: Error) => {
          throw new CliError(`rebuild: cannot reach MongoDB at ${cluster.mongoShards[0]}: ${error.message}`);
        },
      );
      try {
        await rebuild(
          cliKafka(cluster.kafka),
          cluster,
          new ReadModelControl(control.primary, {
            version: Number(env.READ_MODEL_VERSION ?? '1'),
            groupId: env.PROJECTOR_GROUP_ID ?? `${cluster.topicPrefix}projector.users`,
            shards: cluster.mongoShards,
          }),
          {
            shards: opts.shards?.split(',').map((s) => s.trim()),
            dropOld: opts.dropOld ?? false,
            handoverLag,
            progressEveryMs: opts.progressEvery,
            stepTimeoutMs: opts.stepTimeout,
            dropAfterMs: opts.dropAfter,
          },
          out,
        );
      } finally {
        await control.close();
      }
    },
  );

  const streams = program.command('streams').description('Inspect event streams in the log');
  withCluster(
    streams
      .command('show')
      .description(
        "A stream's events, decoded, with their partition and offset; personal fields decrypted when KEY_ENCRYPTION_KEY is set",
      )
      .argument('[id]', 'a user id or a stream id (user-<uuid>, or email-<hash> for an address)')
      .option('--email <address>', "an address's reservation stream (needs KEY_ENCRYPTION_KEY)")
      .option('--json', 'one JSON object per event'),
  ).action(async (id: string | undefined, opts: ClusterFlags & { json?: boolean; email?: string }) => {
    if ((id === undefined) === (opts.email === undefined))
      throw new CliError('streams show: give a user or stream id, or --email <address>, one of them');
    const streamId = opts.email !== undefined ? emailStreamIdOf(opts.email, env) : streamIdOf(id!);
    const cluster = clusterOptions(env, opts);
    printStream(
      streamId,
      await readStream(cliKafka(cluster.kafka), cluster, streamId, quiet, env),
      opts.json ?? false,
      out,
    );
  });

  program
    .command('forget')
    .description(
      'Forget a user: erase their personal data everywhere (UserForgotten, then their data key is deleted)',
    )
    .argument('<id>', 'a user id or a stream id (user-<uuid>)')
    .option('--reason <text>', 'why (kept in the UserForgotten event: never personal data)')
    .option(...COMMAND_URL_FLAG)
    .option('--idempotency-key <key>', 'the same key makes a retry the same command')
    .action(async (id: string, opts: { reason?: string; commandUrl?: string; idempotencyKey?: string }) =>
      forget(
        id,
        {
          commandUrl: commandUrlOf(opts.commandUrl, env),
          reason: opts.reason ?? null,
          idempotencyKey: opts.idempotencyKey,
        },
        out,
      ),
    );

  program
    .command('emails')
    .description('Email address reservations (one account per address)')
    .command('backfill')
    .description(
      'Reserve the address of every user registered before reservations existed; addresses two users hold are reported by user id and left as they are (exit code 2 while any address is left unreserved)',
    )
    .option(...QUERY_URL_FLAG)
    .option(...COMMAND_URL_FLAG)
    .option('--dry-run', 'find and report the conflicts, write nothing')
    .action(async (opts: { queryUrl?: string; commandUrl?: string; dryRun?: boolean }) => {
      const report = await emailsBackfill(
        {
          queryUrl: queryUrlOf(opts.queryUrl, env),
          commandUrl: commandUrlOf(opts.commandUrl, env),
          internalToken: env.INTERNAL_TOKEN,
          dryRun: opts.dryRun ?? false,
        },
        out,
      );
      if (leftUnreserved(report))
        throw new CliError('emails backfill: some addresses are left unreserved (see above)', 2);
    });

  const migrate = program
    .command('migrate')
    .description('Move a CRUD users table onto eventfold: import, then verify (docs/decisions/0020)');
  const whole = (flag: string, raw: string | undefined, fallback: number): number => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`migrate: ${flag} must be a positive whole number, not ${raw}`);
    return n;
  };
  migrate
    .command('import')
    .description(
      'Import every row of the legacy table as a user (UserImported), in id order, through the command service; resumes after the last committed batch; rows the domain refuses are listed (exit code 2 when any is)',
    )
    .requiredOption('--from <url>', 'the legacy PostgreSQL database (postgres://user@host:port/database)')
    .option('--table <name>', 'the legacy table', 'users')
    .option('--batch <n>', 'rows read per batch', '500')
    .option('--concurrency <n>', 'imports in flight at once', '32')
    .option(...COMMAND_URL_FLAG)
    .option('--dry-run', "check every row with the domain's rules, write nothing")
    .option('--restart', 'start from the first row again (safe: a row already imported is left as it is)')
    .action(
      async (opts: {
        from: string;
        table: string;
        batch: string;
        concurrency: string;
        commandUrl?: string;
        dryRun?: boolean;
        restart?: boolean;
      }) => {
        const report = await migrateImport(
          {
            from: opts.from,
            table: opts.table,
            batch: whole('--batch', opts.batch, 500),
            concurrency: whole('--concurrency', opts.concurrency, 32),
            commandUrl: commandUrlOf(opts.commandUrl, env),
            internalToken: env.INTERNAL_TOKEN,
            dryRun: opts.dryRun ?? false,
            restart: opts.restart ?? false,
          },
          out,
        );
        if (report.rejected.length > 0)
          throw new CliError(`migrate import: ${report.rejected.length} rows refused (listed above)`, 2);
      },
    );
  migrate
    .command('verify')
    .description(
      "Compare every legacy row with eventfold's read model (counts, then name, email and status); exit code 1 when they differ",
    )
    .requiredOption('--from <url>', 'the legacy PostgreSQL database (postgres://user@host:port/database)')
    .option('--table <name>', 'the legacy table', 'users')
    .option(...QUERY_URL_FLAG)
    .action(async (opts: { from: string; table: string; queryUrl?: string }) => {
      const report = await migrateVerify(
        {
          from: opts.from,
          table: opts.table,
          batch: 500,
          concurrency: 16,
          queryUrl: queryUrlOf(opts.queryUrl, env),
          internalToken: env.INTERNAL_TOKEN,
        },
        out,
      );
      if (report.differences.length > 0)
        throw new CliError(`migrate verify: ${report.differences.length} differences (see above)`, 1);
    });

  withCluster(
    program
      .command('lag')
      .description('Committed offset, log end and lag of consumer groups, per partition')
      .option('--group <group>', 'one group only (default: every group with committed offsets)')
      .option(
        '--from <url>',
        'the legacy PostgreSQL a migrator follows: its lag in bytes and seconds instead',
      )
      .option('--slot <slot>', "the migrator's replication slot (default: eventfold_$MIGRATION_SOURCE)")
      .option(
        '--migrator-url <url>',
        'the migrator, for seconds behind (default: $MIGRATOR_URL, else :$MIGRATOR_PORT or :8096)',
      ),
  ).action(
    async (opts: ClusterFlags & { group?: string; from?: string; slot?: string; migratorUrl?: string }) => {
      if (opts.from) {
        await migrationLag(
          {
            from: opts.from,
            slot: opts.slot ?? `eventfold_${env.MIGRATION_SOURCE ?? 'legacy'}`,
            migratorUrl:
              opts.migratorUrl ?? env.MIGRATOR_URL ?? `http://127.0.0.1:${env.MIGRATOR_PORT ?? '8096'}`,
          },
          out,
        );
        return;
      }
      const cluster = clusterOptions(env, opts);
      await withAdmin(cliKafka(cluster.kafka), (admin) =>
        lag(admin, { groupId: opts.group, prefix: cluster.topicPrefix }, out),
      );
    },
  );

  migrate
    .command('follow')
    .description(
      'Follow the legacy table through logical replication and send each committed change as its command, until Ctrl-C (docs/decisions/0021-change-capture-from-the-legacy-log.md)',
    )
    .option('--from <url>', 'the legacy PostgreSQL (default: $LEGACY_DATABASE_URL)')
    .option('--table <table>', 'the legacy table (default: users)')
    .option('--source <name>', 'names the legacy database in keys, slot and dead letters (default: legacy)')
    .option('--port <port>', 'health and /metrics (default: $MIGRATOR_PORT or 8096)')
    .option(...COMMAND_URL_FLAG)
    .action((opts: FollowOptions) => migrateFollow(env, opts, out));
  migrate
    .command('rejected')
    .description(
      "The legacy changes eventfold refused (the migration's dead letters), with row, change and reason",
    )
    .option('--from <url>', 'the legacy PostgreSQL (default: $LEGACY_DATABASE_URL)')
    .option('--source <name>', "only this source's (default: all)")
    .action(async (opts: { from?: string; source?: string }) => {
      const from = opts.from ?? env.LEGACY_DATABASE_URL;
      if (!from)
        throw new CliError('migrate rejected: --from postgres://… (or LEGACY_DATABASE_URL) is required');
      await migrateRejected(from, opts.source ?? null, out);
    });

  const dlq = program
    .command('dlq')
    .description('Dead letters: list them, redrive them once the cause is fixed');
  const dlqTopic = (opts: ClusterFlags & { topic?: string }) =>
    opts.topic ?? clusterOptions(env, opts).topics.eventsDlq;
  withCluster(
    dlq
      .command('list')
      .description('Dead letters not yet redriven')
      .option(
        '--topic <topic>',
        'the dead-letter topic (default: users.events.dlq; or users.notifications.dlq)',
      ),
  ).action(async (opts: ClusterFlags & { topic?: string }) => {
    const cluster = clusterOptions(env, opts);
    const topic = dlqTopic(opts);
    printDeadLetters(await pendingDeadLetters(cliKafka(cluster.kafka), topic, quiet), topic, out);
  });
  withCluster(
    dlq
      .command('redrive')
      .description(
        'Replay the consumer group that gave up from its first dead letter, and mark the letters redriven',
      )
      .option('--topic <topic>', 'the dead-letter topic (default: users.events.dlq)')
      .option('--group <group>', 'the group to replay when the letters do not name it')
      .option('--wait', 'wait for the group to have no active members instead of refusing')
      .option('--timeout <seconds>', 'how long --wait waits', seconds('--timeout'), 300_000),
  ).action(
    async (opts: ClusterFlags & { topic?: string; group?: string; wait?: boolean; timeout: number }) => {
      const cluster = clusterOptions(env, opts);
      await redrive(
        cliKafka(cluster.kafka),
        {
          dlqTopic: dlqTopic(opts),
          groupId: opts.group,
          wait: opts.wait ?? false,
          waitMs: opts.timeout,
          reopen: (letters) =>
            reopenNotifications(
              notifierLedgerLocation(env),
              letters.flatMap((l) => (l.notification ? [l.notification] : [])),
            ),
        },
        quiet,
        out,
      );
    },
  );
  const kafka = program.command('kafka').description('Kafka security: the ACLs of the services and the CLI');
  withCluster(
    kafka
      .command('acls')
      .description(
        "Print the ACLs each service's principal and the operator's need under the topic prefix (least privilege); --apply creates them",
      )
      .option('--apply', 'create them (as a principal allowed to alter ACLs: a super user)')
      .option('--command-user <name>', "the command service's SASL user", 'eventfold-command')
      .option('--projector-user <name>', "the projector's SASL user", 'eventfold-projector')
      .option('--notifier-user <name>', "the notifier's SASL user", 'eventfold-notifier')
      .option('--query-user <name>', "the query service's SASL user", 'eventfold-query')
      .option('--integration-user <name>', "the integration translator's SASL user", 'eventfold-integration')
      .option(
        '--operator-user <name>',
        "the CLI's SASL user (replay, rebuild, lag, dlq…)",
        'eventfold-operator',
      ),
  ).action(
    async (
      opts: ClusterFlags & {
        apply?: boolean;
        commandUser: string;
        projectorUser: string;
        notifierUser: string;
        queryUser: string;
        integrationUser: string;
        operatorUser: string;
      },
    ) => {
      const cluster = clusterOptions(env, opts);
      const rules = serviceAcls({
        prefix: cluster.topicPrefix,
        projectorGroup: env.PROJECTOR_GROUP_ID,
        integrationGroup: env.INTEGRATION_GROUP_ID,
      });
      const principals: Record<AclHolder, string> = {
        command: `User:${opts.commandUser}`,
        projector: `User:${opts.projectorUser}`,
        notifier: `User:${opts.notifierUser}`,
        query: `User:${opts.queryUser}`,
        integration: `User:${opts.integrationUser}`,
        operator: `User:${opts.operatorUser}`,
      };
      printAcls(rules, principals, out);
      if (opts.apply)
        await withAdmin(cliKafka(cluster.kafka), (admin) => applyAcls(admin, rules, principals, out));
    },
  );
  return program;
}

/** Runs the CLI and answers its exit code. */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  const program = buildProgram(environment);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    environment.out.error(
      error instanceof CliError ? error.message : `eventfold: ${(error as Error).message ?? String(error)}`,
    );
    return error instanceof CliError ? error.exitCode : 1;
  }
}
