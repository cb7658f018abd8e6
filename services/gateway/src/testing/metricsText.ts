/**
 * The sum of a Prometheus sample over every label set whose labels include `labels`, read from a gateway's
 * /metrics with its test key of scope `metrics`.
 */
export async function metricSum(
  gateway: { readonly url: string; readonly keys: { readonly metrics: string } },
  sample: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(`${gateway.url}/metrics`, {
    headers: { authorization: `Bearer ${gateway.keys.metrics}` },
  });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? ([0-9.e+-]+|NaN)$/.exec(line);
    if (!match || match[1] !== sample) continue;
    const found = new Map([...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([name, value]) => found.get(name) === value)) sum += Number(match[3]);
  }
  return sum;
}
