// The framework's floor in the gateway benchmark: Express 5 (the gateway's own copy of it, set up as the gateway
// sets it up) answering what the gateway's /healthz answers, one route, no middleware.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Express } from 'express';

const gatewayPackage = path.resolve(__dirname, '..', '..', '..', 'services', 'gateway', 'package.json');
const express = createRequire(gatewayPackage)('express') as () => Express;

const app = express();
app.set('case sensitive routing', true);
app.set('strict routing', true);
app.disable('x-powered-by');
app.set('etag', false);
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
