/** What `pnpm start` prints once the system answers: where it is, where its data is, and a first request. */
export function firstRequest(options: {
  url: string;
  urls: Readonly<Record<string, string>>;
  dataDir: string;
  mailDir: string;
  keys: { generatedKey: string | null; keyFile: string };
  millis: number;
}): string {
  const key = options.keys.generatedKey ?? '<one of your API_KEYS>';
  return [
    '',
    `eventfold is running in one process (embedded mode), ready in ${(options.millis / 1000).toFixed(1)} s.`,
    `  gateway   ${options.url}   (command ${options.urls.command}, query ${options.urls.query}, projector ${options.urls.projector}, notifier ${options.urls.notifier})`,
    `  data      ${options.dataDir}   (mail written as .eml files to ${options.mailDir})`,
    options.keys.generatedKey
      ? `  API key   ${options.keys.generatedKey}   (development key with every scope, kept in ${options.keys.keyFile})`
      : '  API key   from API_KEYS',
    '',
    'Register a user:',
    `  curl -s -X POST ${options.url}/v1/users -H 'Authorization: Bearer ${key}' -H 'content-type: application/json' -d '{"name":"Ada Lovelace","email":"ada@example.com"}'`,
    '',
    'Stop with Ctrl-C; `pnpm start` again carries on with the same data.',
    '',
  ].join('\n');
}
