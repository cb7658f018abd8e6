/**
 * The integration translator's consumer group, transactional ids and reader groups under a topic prefix: what it
 * uses, and so what its Kafka principal must be allowed (`eventfold kafka acls`).
 */
export function integrationKafkaNames(prefix: string, groupId = `${prefix}integration.users`) {
  return Object.freeze({
    /** The partition owners' group on users.events (`INTEGRATION_GROUP_ID`). */
    group: groupId,
    /** Each owner of partition p writes with the transactional id `<group>-<p>`. */
    transactionalIdPrefix: `${groupId}-`,
    /**
     * The private groups (`<prefix>-<uuid>`) of its partition reads: the schema check of the tails and the restore
     * of what was last published per user.
     */
    readerGroupPrefix: `${groupId}.reader`,
  });
}
