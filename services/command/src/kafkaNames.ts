/**
 * The command service's consumer groups and transactional ids under a topic prefix: what it uses, and so what its
 * Kafka principal must be allowed (`eventfold kafka acls`).
 */
export function commandKafkaNames(prefix: string) {
  const processorGroup = `${prefix}command-processor.users`;
  return Object.freeze({
    /** The partition owners' group on users.commands. */
    processorGroup,
    /** Each owner of partition p writes with the transactional id `<processorGroup>-<p>`. */
    transactionalIdPrefix: `${processorGroup}-`,
    /** The private groups (`<prefix>-<uuid>`) of the partition reads that restore streams. */
    restoreGroupPrefix: `${prefix}command-restore`,
    /** The private groups of the listeners for command results. */
    resultsGroupPrefix: `${prefix}command-results`,
  });
}
