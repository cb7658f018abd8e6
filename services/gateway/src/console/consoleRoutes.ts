import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

/** The console's static files: plain HTML, CSS and JavaScript modules, served as they are (no build). */
export const CONSOLE_DIR = path.resolve(__dirname, '..', '..', 'console');

/**
 * A strict Content-Security-Policy: scripts, styles and requests from this origin only, no inline script or style,
 * no frames, no forms posted anywhere. The console holds an operator's key: nothing else may run beside it.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const consoleHeaders: RequestHandler = (_req, res, next) => {
  res.locals.route = '/console/';
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-cache');
  next();
};

/**
 * `/console/`: the operator console (docs/architecture.md#the-operator-console). Loading it needs no key; it asks
 * the operator for one and sends it with each call to /v1, like any other client.
 */
export function consoleRoutes(dir = CONSOLE_DIR): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  router.get('/console', (_req, res) => {
    res.locals.route = '/console/';
    res.redirect(301, '/console/');
  });
  router.use('/console/', consoleHeaders, express.static(dir, { dotfiles: 'ignore', redirect: false }));
  return router;
}
