import { CryptoErrorCode, MasterKeyError } from '../errors';
import { readOrCreateSecret } from '../secrets/secretFile';
import { generateMasterKey, MASTER_KEY_VARIABLE, parseMasterKey, type MasterKey } from './masterKey';

export interface ResolvedMasterKey {
  readonly masterKey: MasterKey;
  /** What to log at start-up when the key did not come from the environment (never the key itself); else null. */
  readonly notice: string | null;
}

/**
 * For development and the embedded mode only: the master key kept in `file`, generated (and said so) on first
 * use (readOrCreateSecret: mode 0600, never overwritten, refused when others may read it), so personal data
 * written in one run stays readable in the next. Production sets `KEY_ENCRYPTION_KEY` instead.
 */
export function developmentMasterKey(file: string): ResolvedMasterKey {
  const { value, created } = readOrCreateSecret(file, generateMasterKey);
  let masterKey: MasterKey;
  try {
    masterKey = parseMasterKey(value, `The development master key in ${file}`);
  } catch (error) {
    throw new MasterKeyError(CryptoErrorCode.MasterKeyMalformed, (error as Error).message, { cause: error });
  }
  const notice = created
    ? `${MASTER_KEY_VARIABLE} is not set: generated a development master key (${masterKey.fingerprint}) in ${file}; personal data written from now on is readable only with it. Set ${MASTER_KEY_VARIABLE} in production`
    : `${MASTER_KEY_VARIABLE} is not set: using the development master key (${masterKey.fingerprint}) in ${file}`;
  return { masterKey, notice };
}

/**
 * The master key from `KEY_ENCRYPTION_KEY`; when it is not set and `developmentKeyFile` is given (development,
 * embedded mode), the development key in that file. Throws a {@link MasterKeyError} when it is missing or malformed.
 */
export function masterKeyFromEnvironment(
  env: NodeJS.ProcessEnv,
  { developmentKeyFile }: { developmentKeyFile?: string } = {},
): ResolvedMasterKey {
  const value = env[MASTER_KEY_VARIABLE];
  if (!value?.trim() && developmentKeyFile !== undefined) return developmentMasterKey(developmentKeyFile);
  return { masterKey: parseMasterKey(value), notice: null };
}
