import { InfrastructureError } from '@eventfold/core';
import { parseAvro } from '../catalog/schemaCatalog';
import type { CompatibilityLevel } from '../compatibility/compatibilityLevel';
import { compatibilityProblems } from '../compatibility/localCompatibility';

/** What eventfold needs from a Confluent-compatible schema registry. */
export interface SchemaRegistryPort {
  /**
   * Registers a schema under a subject and returns its global id; a schema the subject already has answers its id.
   * Safe when several processes register the same schemas at once. A schema the subject's rule refuses is an
   * InfrastructureError `SCHEMA_INCOMPATIBLE` (not retriable) that names the fields at fault.
   */
  register(subject: string, schema: string): Promise<number>;
  /**
   * Makes `level` the subject's compatibility rule, unless it already is (also when the subject does not exist
   * yet). Safe when several processes set the same level at once.
   */
  setCompatibility(subject: string, level: CompatibilityLevel): Promise<void>;
  /** The schema with this global id, or null when the registry does not know it. */
  schemaById(id: number): Promise<string | null>;
  /** Whether `schema` may be registered next under `subject`, by the subject's compatibility rule. */
  checkCompatibility(subject: string, schema: string): Promise<{ compatible: boolean; messages: string[] }>;
}

const registryFailure = (what: string, cause: unknown) =>
  new InfrastructureError(
    'SCHEMA_REGISTRY_UNAVAILABLE',
    `Schema registry ${what} failed: ${(cause as Error).message ?? cause}`,
    { cause },
  );

interface Answer {
  readonly status: number;
  readonly body: { message?: string; error_code?: number } & Record<string, unknown>;
}

/**
 * The Confluent API over HTTP (Confluent's registry, and Apicurio's ccompat API, which eventfold runs locally).
 * Registration is idempotent on both: the same schema under the same subject answers the same id, however many
 * register it at once. Setting a subject's compatibility is not, on Apicurio: it creates a rule, and the second of
 * two processes that create it together is answered 409 "A rule named 'COMPATIBILITY' already exists". That is a
 * benign race (issue 15: `pnpm stack` starts three services that register together), so a refused update is
 * followed by reading the level again, and succeeds when the level is the one wanted.
 */
export function confluentSchemaRegistry(url: string, timeoutMs = 5000): SchemaRegistryPort {
  const base = url.replace(/\/$/, '');
  const call = async (what: string, path: string, init?: { method: string; body: unknown }) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: init?.method ?? 'GET',
        body: init ? JSON.stringify(init.body) : undefined,
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw registryFailure(what, error);
    }
    const body = (await response.json().catch(() => ({}))) as Answer['body'];
    if (response.status >= 500) {
      throw registryFailure(what, new Error(`HTTP ${response.status} ${body.message ?? ''}`.trim()));
    }
    return { status: response.status, body } satisfies Answer;
  };
  const subjectPath = (subject: string) => `/subjects/${encodeURIComponent(subject)}`;
  const unexpected = (what: string, answer: Answer) =>
    registryFailure(what, new Error(`HTTP ${answer.status} ${answer.body.message ?? ''}`.trim()));

  const levelOf = async (subject: string): Promise<string | null> => {
    const what = `compatibility lookup of ${subject}`;
    const answer = await call(what, `/config/${encodeURIComponent(subject)}?defaultToGlobal=true`);
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw unexpected(what, answer);
    const level = answer.body.compatibilityLevel ?? answer.body.compatibility;
    return typeof level === 'string' && level !== '' ? level.toUpperCase() : null;
  };

  /** Why the registry refused `schema`: the subject's versions checked locally, field by field. */
  const diagnose = async (subject: string, schema: string): Promise<string[]> => {
    try {
      const level = ((await levelOf(subject)) ?? 'BACKWARD_TRANSITIVE') as CompatibilityLevel;
      const versions = await call(`versions of ${subject}`, `${subjectPath(subject)}/versions`);
      if (versions.status !== 200 || !Array.isArray(versions.body)) return [];
      const earlier = [];
      for (const version of versions.body as number[]) {
        const answer = await call(
          `version ${version} of ${subject}`,
          `${subjectPath(subject)}/versions/${version}`,
        );
        earlier.push(parseAvro(JSON.parse(String(answer.body.schema))));
      }
      return compatibilityProblems(parseAvro(JSON.parse(schema)), earlier, level).map(
        (p) => `${p.message} (${level})`,
      );
    } catch {
      return []; // the registry's own words remain
    }
  };

  return {
    async register(subject, schema) {
      const what = `registration of ${subject}`;
      const answer = await call(what, `${subjectPath(subject)}/versions`, {
        method: 'POST',
        body: { schema },
      });
      if (answer.status === 200 && typeof answer.body.id === 'number') return answer.body.id;
      if (answer.status === 409 || answer.status === 422) {
        const problems = await diagnose(subject, schema);
        const registrySays = answer.body.message ?? `HTTP ${answer.status}`;
        throw new InfrastructureError(
          'SCHEMA_INCOMPATIBLE',
          `Schema for ${subject} is not compatible with its registered versions: ${
            problems.length > 0 ? `${problems.join('; ')} (the registry says: ${registrySays})` : registrySays
          }`,
          { retriable: false, details: { subject, problems } },
        );
      }
      throw unexpected(what, answer);
    },
    async setCompatibility(subject, level) {
      const what = `compatibility update of ${subject}`;
      // Read, write, and after a refused write read again: three rounds settle any number of racing writers.
      for (let round = 0; round < 3; round++) {
        if ((await levelOf(subject)) === level) return;
        const answer = await call(what, `/config/${encodeURIComponent(subject)}`, {
          method: 'PUT',
          body: { compatibility: level },
        });
        if (answer.status === 200) return;
        if (answer.status !== 409) throw unexpected(what, answer);
      }
      throw new InfrastructureError(
        'SCHEMA_REGISTRY_CONFLICT',
        `Schema registry kept refusing ${level} for ${subject}, and the subject's level is still another`,
      );
    },
    async schemaById(id) {
      const what = `lookup of schema ${id}`;
      const answer = await call(what, `/schemas/ids/${id}`);
      if (answer.status === 404) return null;
      if (answer.status !== 200) throw unexpected(what, answer);
      return String(answer.body.schema);
    },
    async checkCompatibility(subject, schema) {
      const what = `compatibility check of ${subject}`;
      const answer = await call(what, `/compatibility${subjectPath(subject)}/versions/latest?verbose=true`, {
        method: 'POST',
        body: { schema },
      });
      if (answer.status === 404) return { compatible: true, messages: [] }; // nothing registered yet
      if (answer.status !== 200 && answer.status !== 409) throw unexpected(what, answer);
      const messages = answer.body.messages;
      return {
        compatible: answer.body.is_compatible === true,
        messages: Array.isArray(messages)
          ? messages.map(String)
          : answer.body.message
            ? [answer.body.message]
            : [],
      };
    },
  };
}
