// Three layers share one config: unit (pure code, milliseconds) and e2e (real PostgreSQL, Redis,
// processes). Each run creates its own database and Redis prefix (see test/setup/global-setup.ts).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('../tsconfig.json');

const common = {
  rootDir: require('node:path').join(__dirname, '..'),
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
    '^.+/node_modules/.+\\.m?js$': '<rootDir>/test/setup/esm-to-cjs.js',
  },
  // Packages that ship only ES modules are rewritten to CommonJS (see test/setup/esm-to-cjs.js).
  // Large CommonJS bundles that only look like ES modules to the quick check are left alone.
  transformIgnorePatterns: ['/node_modules/(playwright-core|typescript)/'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};

module.exports = {
  // e2e tests start apps, browsers and servers; unit tests finish in milliseconds anyway.
  testTimeout: 60000,
  rootDir: require('node:path').join(__dirname, '..'),
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFiles: ['<rootDir>/test/setup/env.ts'],
    },
  ],
};
