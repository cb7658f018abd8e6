// Tiers are told apart by file suffix: *.unit.spec.ts need nothing, *.int.spec.ts and *.e2e.spec.ts talk to real
// servers, which the harness (packages/testing) starts before and stops after the run.
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];
const fs = require('node:fs');
const path = require('node:path');

const roots = ['packages', 'services', 'cli', 'tests', 'deploy', 'bench']
  .filter((dir) => fs.existsSync(path.join(__dirname, dir)))
  .map((dir) => `<rootDir>/${dir}`);
const shared = {
  rootDir: __dirname,
  roots,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/'],
};
const withInfra = {
  globalSetup: '<rootDir>/packages/testing/src/jest/globalSetup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/jest/globalTeardown.ts',
};

module.exports = {
  // Integration tests wait on real servers (consumer group joins take seconds): a generous ceiling, not a pace.
  testTimeout: 120_000,
  // Kafka clients that a failed test left behind must not keep the run alive past its end (CI has a deadline).
  forceExit: true,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    { ...shared, ...withInfra, displayName: 'int', testMatch: ['**/*.int.spec.ts'] },
    { ...shared, ...withInfra, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
    // Fault runs (kill loops, outages): `pnpm test` runs them at reduced scale, `pnpm test:faults` at full size.
    { ...shared, ...withInfra, displayName: 'faults', testMatch: ['**/*.fault.spec.ts'] },
  ],
};
