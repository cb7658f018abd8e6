/** What the consumer lends a delivery that has to wait: sleeping that keeps the group membership alive. */
export interface DeliveryControl {
  /**
   * Waits `ms`, heartbeating. Throws {@link DeliveryAbandoned} when the partition was taken away or the service
   * is stopping: the record stays uncommitted and its new owner (or the next start) takes it up from the ledger.
   */
  sleep(ms: number): Promise<void>;
}

/** The partition was revoked or the service is stopping: stop working on this record, commit nothing for it. */
export class DeliveryAbandoned extends Error {
  constructor(why: string) {
    super(`Delivery abandoned: ${why}`);
    this.name = 'DeliveryAbandoned';
  }
}
