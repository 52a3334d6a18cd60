// Unit specs beside the code and e2e suites on the embedded defaults (PGlite, in-process bus).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: ['src/.*\\.spec\\.ts$', 'libs/.*\\.spec\\.ts$', 'test/e2e/.*\\.e2e-spec\\.ts$'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
