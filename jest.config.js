// Unit specs beside the code (the bench harness's included) and e2e suites on the embedded defaults
// (PGlite, in-process bus).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: [
    'src/.*\\.spec\\.ts$',
    'bench/.*\\.spec\\.ts$',
    'libs/.*\\.spec\\.ts$',
    'test/e2e/.*\\.e2e-spec\\.ts$',
  ],
  // jose (required by @a2a-js/sdk's CommonJS build) ships ESM only: compile it like our sources.
  transform: { '^.+\\.(ts|js)$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
  // One worker per core; jest's default (cores - 1) runs the suites one at a time on 2 cores.
  maxWorkers: '100%',
  // One fresh PGlite cluster for the run, so the suites skip initdb (test/utils/pglite-seed.ts).
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
};
