// The browser path: headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: ['test/browser/.*\\.browser-spec\\.ts$'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  maxWorkers: 1,
};
