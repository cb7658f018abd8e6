import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { InfrastructureError } from '@eventfold/core';

/** What eventfold needs from a Confluent-compatible schema registry. */
export interface SchemaRegistryPort {
  /** Registers (idempotently) a schema under a subject and returns its global id. */
  register(subject: string, schema: string): Promise<number>;
  /** The schema with this global id, or null when the registry does not know it. */
  schemaById(id: number): Promise<string | null>;
  /** Whether `schema` may be registered next under `subject`, by the subject's compatibility rule. */
  checkCompatibility(subject: string, schema: string): Promise<{ compatible: boolean; messages: string[] }>;
}

const registryFailure = (what: string, cause: unknown) =>
  new InfrastructureError(
    'SCHEMA_REGISTRY_UNAVAILABLE',
    `Schema registry ${what} failed: ${(cause as Error).message ?? cause}`,
    {
      cause,
    },
  );

/**
 * The Confluent API, through @kafkajs/confluent-schema-registry for registration (it sets the subject's
 * compatibility when it creates the subject: BACKWARD_TRANSITIVE here) and plain HTTP for reads.
 */
export function confluentSchemaRegistry(url: string, timeoutMs = 5000): SchemaRegistryPort {
  const client = new SchemaRegistry({ host: url });
  const base = url.replace(/\/$/, '');
  const get = (path: string, init?: RequestInit) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...init?.headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
  return {
    async register(subject, schema) {
      try {
        const { id } = await client.register(
          { type: SchemaType.AVRO, schema },
          { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
        );
        return id;
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 409 || status === 422) {
          throw new InfrastructureError(
            'SCHEMA_INCOMPATIBLE',
            `Schema for ${subject} is not compatible with its earlier versions: ${(error as Error).message}`,
            {
              cause: error,
              retriable: false,
            },
          );
        }
        throw registryFailure(`registration of ${subject}`, error);
      }
    },
    async schemaById(id) {
      let response: Response;
      try {
        response = await get(`/schemas/ids/${id}`);
      } catch (error) {
        throw registryFailure(`lookup of schema ${id}`, error);
      }
      if (response.status === 404) return null;
      if (!response.ok) throw registryFailure(`lookup of schema ${id}`, new Error(`HTTP ${response.status}`));
      return ((await response.json()) as { schema: string }).schema;
    },
    async checkCompatibility(subject, schema) {
      let response: Response;
      try {
        response = await get(
          `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest?verbose=true`,
          {
            method: 'POST',
            body: JSON.stringify({ schema }),
          },
        );
      } catch (error) {
        throw registryFailure(`compatibility check of ${subject}`, error);
      }
      if (response.status === 404) return { compatible: true, messages: [] }; // nothing registered yet
      const body = (await response.json().catch(() => ({}))) as {
        is_compatible?: boolean;
        messages?: string[];
        message?: string;
      };
      if (!response.ok && response.status !== 409) {
        throw registryFailure(
          `compatibility check of ${subject}`,
          new Error(`HTTP ${response.status} ${body.message ?? ''}`),
        );
      }
      return {
        compatible: body.is_compatible === true,
        messages: body.messages ?? (body.message ? [body.message] : []),
      };
    },
  };
}
