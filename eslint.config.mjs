// ESLint (`npm run lint`, part of `npm test`): the recommended rules of ESLint and typescript-eslint,
// without type information (type-aware rules need a full compile per run: tsc already checks
// types), and no import cycles between modules. Formatting is Prettier's (`npm run format:check`).
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { defineConfig } from 'eslint/config';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'docs/openapi/', 'bench/results/', 'test/artifacts/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // import-x reads the imported files too: with the TypeScript parser, and resolving the
      // @hotline/* paths of tsconfig.json (a cycle through a library's index is still a cycle).
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      // A cycle makes what a module sees at load time depend on who imported first (Nest's
      // providers arrive undefined); packages cannot take part, so they are not followed.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // `const { secret: _secret, ...rest } = x` is how the code leaves fields out of an object.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Matching control characters is deliberate here: untrusted input is checked for them (NUL,
    // which PostgreSQL cannot store; C0 controls in partners' fields and reporters' text).
    rules: { 'no-control-regex': 'off' },
  },
  {
    // End-to-end tests read raw SQL rows and JSON bodies: their shape is what the test asserts.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Build scripts, Jest's config and transform: CommonJS run by Node.
    files: ['**/*.js'],
    ignores: ['apps/*/src/**/assets/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The console's browser script: a classic script (no modules), run by the staff's browsers.
    files: ['apps/*/src/**/assets/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
);
