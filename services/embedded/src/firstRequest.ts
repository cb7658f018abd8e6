/** What `pnpm start` prints once the system answers: where it is, where its data is, and a first request. */
export function firstRequest(o: {
  url: string;
  urls: Readonly<Record<string, string>>;
  dataDir: string;
  mailDir: string;
  keys: { generatedKey: string | null; keyFile: string };
  millis: number;
}): string {
  const key = o.keys.generatedKey ?? '<one of your API_KEYS>';
  return [
    '',
    `eventfold is running in one process (embedded mode), ready in ${(o.millis / 1000).toFixed(1)} s.`,
    `  gateway   ${o.url}   (command ${o.urls.command}, query ${o.urls.query}, projector ${o.urls.projector}, notifier ${o.urls.notifier})`,
    `  data      ${o.dataDir}   (mail written as .eml files to ${o.mailDir})`,
    o.keys.generatedKey
      ? `  API key   ${o.keys.generatedKey}   (development key with every scope, kept in ${o.keys.keyFile})`
      : '  API key   from API_KEYS',
    '',
    'Register a user:',
    `  curl -s -X POST ${o.url}/v1/users -H 'Authorization: Bearer ${key}' -H 'content-type: application/json' -d '{"name":"Ada Lovelace","email":"ada@example.com"}'`,
    '',
    'Stop with Ctrl-C; `pnpm start` again carries on with the same data.',
    '',
  ].join('\n');
}
