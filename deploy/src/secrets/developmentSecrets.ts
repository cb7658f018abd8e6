import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateMasterKey, readOrCreateSecret } from '@eventfold/crypto';

/** The secrets a development deployment needs, generated for this install alone (none ships with eventfold). */
export interface DevelopmentSecrets {
  readonly masterKey: string;
  /** One development key with every scope. */
  readonly apiKey: string;
  readonly apiKeyIdSecret: string;
  /** A SCRAM password for each Kafka user of the dev overlay (the dev overlay's Secret eventfold-kafka). */
  readonly kafkaPasswords: Readonly<Record<(typeof KAFKA_USERS)[number], string>>;
}

/** The services (and the CLI's Jobs, as operator) that log in to Kafka, each as `eventfold-<name>`. */
export const KAFKA_USERS = ['command', 'projector', 'notifier', 'query', 'integration', 'operator'] as const;

export function generateDevelopmentSecrets(): DevelopmentSecrets {
  return {
    masterKey: generateMasterKey(),
    apiKey: `dev-${randomBytes(24).toString('base64url')}`,
    apiKeyIdSecret: randomBytes(32).toString('base64'),
    kafkaPasswords: Object.fromEntries(
      KAFKA_USERS.map((user) => [user, randomBytes(24).toString('base64url')]),
    ) as DevelopmentSecrets['kafkaPasswords'],
  };
}

const ALL_SCOPES = 'users:read+users:write+admin';

/** `.env` beside docker-compose.yml: the variables the compose file requires. */
export function composeEnvFile(s: DevelopmentSecrets): Record<string, string> {
  return {
    EVENTFOLD_KEY_ENCRYPTION_KEY: s.masterKey,
    EVENTFOLD_API_KEYS: `${s.apiKey}=${ALL_SCOPES}`,
    EVENTFOLD_API_KEY_ID_SECRET: s.apiKeyIdSecret,
  };
}

/** The dev overlay's secretGenerator reads one env file per Secret. */
export function kubernetesEnvFiles(s: DevelopmentSecrets): Record<string, Record<string, string>> {
  return {
    'api-keys.env': { API_KEYS: `${s.apiKey}=${ALL_SCOPES}`, API_KEY_ID_SECRET: s.apiKeyIdSecret },
    'master-key.env': { KEY_ENCRYPTION_KEY: s.masterKey },
    'kafka-users.env': Object.fromEntries(
      KAFKA_USERS.flatMap((user) => [
        [`${user}.username`, `eventfold-${user}`],
        [`${user}.password`, s.kafkaPasswords[user]],
      ]),
    ),
  };
}

export const envText = (variables: Record<string, string>): string =>
  Object.entries(variables)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');

export function parseEnvText(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

export interface WrittenSecretFile {
  readonly file: string;
  readonly created: boolean;
  /** Variables a kept file lacked and got (a Kafka user added to eventfold since it was written). */
  readonly added: readonly string[];
  readonly variables: Record<string, string>;
}

/**
 * Writes the compose `.env` and the dev overlay's env files under `root` (a clone of the repository), each with
 * mode 0600 and only when it does not exist yet: the master key in them wraps every user's data key, so replacing
 * it would make all personal data written so far unreadable. A file that exists keeps every value it has and gets
 * only the variables it lacks (the Kafka user of a service added since). One set of secrets is shared by all the
 * files written in one call.
 */
export function writeDevelopmentSecrets(
  root: string,
  secrets: DevelopmentSecrets = generateDevelopmentSecrets(),
): WrittenSecretFile[] {
  const files: [string, Record<string, string>][] = [
    [path.join(root, '.env'), composeEnvFile(secrets)],
    ...Object.entries(kubernetesEnvFiles(secrets)).map(
      ([name, variables]): [string, Record<string, string>] => [
        path.join(root, 'k8s', 'overlays', 'dev', 'generated', name),
        variables,
      ],
    ),
  ];
  return files.map(([file, variables]) => {
    const { value, created } = readOrCreateSecret(file, () => envText(variables));
    const kept = parseEnvText(value);
    const added = Object.keys(variables).filter((name) => !(name in kept));
    const missing = Object.fromEntries(added.map((name) => [name, variables[name]!]));
    if (added.length > 0) {
      // On lines of their own, whether or not the file ends with a newline.
      const newline = fs.readFileSync(file, 'utf8').endsWith('\n') ? '' : '\n';
      fs.appendFileSync(file, `${newline}${envText(missing)}\n`);
    }
    return { file, created, added, variables: { ...kept, ...missing } };
  });
}
