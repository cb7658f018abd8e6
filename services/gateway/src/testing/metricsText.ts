import { scrapeMetric } from '@eventfold/testing';

/** The sum of a sample over the label sets that include `labels`, from a gateway's /metrics with its `metrics` key. */
export function metricSum(
  gateway: { readonly url: string; readonly keys: { readonly metrics: string } },
  sample: string,
  labels: Record<string, string> = {},
): Promise<number> {
  return scrapeMetric(gateway.url, sample, labels, { authorization: `Bearer ${gateway.keys.metrics}` });
}
