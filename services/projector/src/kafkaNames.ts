/**
 * The projector's consumer groups under a topic prefix: what it uses, and so what its Kafka principal must be
 * allowed (`eventfold kafka acls`).
 */
export function projectorKafkaNames(prefix: string, groupId = `${prefix}projector.users`) {
  return Object.freeze({
    /** The group of the read model version configured (`PROJECTOR_GROUP_ID`); a rebuild's are `<group>.v<N>`. */
    group: groupId,
    /** The private groups (`<prefix>-<uuid>`) of its partition reads (the schema check of the log's tail). */
    readerGroupPrefix: `${prefix}projector-reader`,
  });
}
