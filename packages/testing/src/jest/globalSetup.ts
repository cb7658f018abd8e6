import { provisionInfrastructure } from '../provision';

/** Jest global setup of the int and e2e tiers: real servers first, their endpoints into every worker's environment. */
export default async function globalSetup(): Promise<void> {
  const holder = globalThis as { __eventfoldInfra?: Awaited<ReturnType<typeof provisionInfrastructure>> };
  if (holder.__eventfoldInfra) return;
  const started = Date.now();
  const provisioned = await provisionInfrastructure((line) => process.stderr.write(`[infra] ${line}\n`));
  Object.assign(process.env, provisioned.env);
  holder.__eventfoldInfra = provisioned;
  process.stderr.write(
    `[infra] ${provisioned.source} ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
