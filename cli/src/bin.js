#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so that the CLI needs no build step.
require('tsx/cjs');
require('./main.ts');
