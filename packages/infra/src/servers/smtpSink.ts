import fs from 'node:fs';
import { bannerStartsWith } from '../probes';
import { HOST, tsxProgram, type ServerSpec } from './serverSpec';

/** The SMTP sink (smtpSink/main.ts) as a server of its own: nothing to install, Node runs it through tsx. */
export function smtpSinkServer(port = 2525): ServerSpec {
  return {
    name: 'smtp',
    address: `smtp://${HOST}:${port}`,
    ports: [port],
    readyTimeoutMs: 30_000,
    async install() {},
    async prepare(paths) {
      fs.mkdirSync(paths.dataDir('smtp'), { recursive: true });
      return tsxProgram('smtpSink/main.ts', [String(port), paths.dataDir('smtp')]);
    },
    isReady: () => bannerStartsWith(HOST, port, '220'),
  };
}
