import {
  checkSchemaIdsOnTail,
  loadSchemaCatalog,
  userEventCodec,
  type SchemaRegistryPort,
} from '@eventfold/avro';
import type { EventLog } from '@eventfold/core';
import type { KeyStore } from '../dataKeys/keyStore';
import { PersonalDataCipher } from './personalDataCipher';
import { PersonalDataCodec } from './personalDataCodec';

/**
 * users.events as its consumers read it (the projector, the notifier, the integration translator): Avro with the
 * users upcasters, personal fields decrypted after decoding, so that a forgotten user's events come erased. Checked
 * against the topic's tail first: a registry that forgot the ids the events were written with stops the start-up
 * here (not retriable), before anything is consumed.
 */
export async function readableUserEvents(options: {
  readonly log: EventLog;
  readonly registry: SchemaRegistryPort;
  readonly keys: KeyStore;
  readonly topic: string;
  /** The cipher to decrypt with, when the caller uses it for more (the notifier seals addresses with it). */
  readonly cipher?: PersonalDataCipher;
}): Promise<PersonalDataCodec> {
  const catalog = loadSchemaCatalog();
  const codec = new PersonalDataCodec(
    await userEventCodec(options.registry, catalog, { topic: options.topic }),
    options.cipher ?? new PersonalDataCipher({ catalog, keys: options.keys }),
  );
  await checkSchemaIdsOnTail(options.log, codec, options.topic);
  return codec;
}
