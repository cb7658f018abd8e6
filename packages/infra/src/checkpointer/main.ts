// The WAL checkpointer of the local FerretDB shards: once a second, every shard database whose WAL holds frames
// is checkpointed and its WAL truncated (walCheckpoint.ts says why). Run by infra as its own process; GET /status
// on its port answers how many passes it made, so that a test can wait for the first pass after an erasure.
import http from 'node:http';
import { checkpointDirectory } from './walCheckpoint';

const [portArg, intervalArg, ...dirs] = process.argv.slice(2);
const port = Number(portArg);
const intervalMs = Number(intervalArg);
if (!Number.isInteger(port) || !Number.isInteger(intervalMs) || dirs.length === 0) {
  console.error('usage: checkpointer/main.ts <port> <interval ms> <shard data dir>...');
  process.exit(2);
}

const status = { passes: 0, lastPassStartedAt: 0, lastPassEndedAt: 0, truncated: 0, busy: [] as string[] };

function pass(): void {
  const started = Date.now();
  const busy: string[] = [];
  for (const dir of dirs) {
    // No wait: a pending TRUNCATE holds FerretDB's writers back, so a busy database is left for the next pass.
    const done = checkpointDirectory(dir, 0);
    status.truncated += done.truncated;
    busy.push(...done.busy.map((name) => `${dir}/${name}`));
  }
  Object.assign(status, {
    passes: status.passes + 1,
    lastPassStartedAt: started,
    lastPassEndedAt: Date.now(),
    busy,
  });
  setTimeout(pass, intervalMs).unref();
}

http
  .createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(status));
  })
  .listen(port, '127.0.0.1', () => pass());
