import type { ProcessingContext } from '@eventfold/core';

/**
 * What the consumer lends a delivery that has to wait: sleeping that keeps the group membership alive, and throws
 * ProcessingAbandoned when the partition was taken away or the service is stopping (the record stays uncommitted
 * and its new owner, or the next start, takes it up from the ledger).
 */
export type DeliveryControl = Pick<ProcessingContext, 'sleep'>;
