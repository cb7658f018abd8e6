import { randomBytes } from 'node:crypto';
import { provisionInfrastructure } from '../provision';

/** Jest global setup of the int and e2e tiers: real servers first, their endpoints into every worker's environment. */
export default async function globalSetup(): Promise<void> {
  const holder = globalThis as { __eventfoldInfra?: Awaited<ReturnType<typeof provisionInfrastructure>> };
  if (holder.__eventfoldInfra) return;
  const started = Date.now();
  const provisioned = await provisionInfrastructure((line) => process.stderr.write(`[infra] ${line}\n`));
  Object.assign(process.env, provisioned.env);
  // Names this run's databases (each test file's key store), so that the teardown drops this run's and no other's.
  process.env.EVENTFOLD_TEST_RUN ??= randomBytes(4).toString('hex');
  holder.__eventfoldInfra = provisioned;
  process.stderr.write(
    `[infra] ${provisioned.source} ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
