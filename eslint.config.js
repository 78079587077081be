// @ts-check
import tseslint from 'typescript-eslint';

/**
 * Layering of ../shared/STYLE.md: imports only point down. One rule per file (a later entry for
 * the same files replaces an earlier one), so each layer lists everything it may not import.
 * @param {string[]} files
 * @param {({ group: string[] } | { regex: string }) & { message: string, allowTypeImports?: boolean }[]} patterns
 * @param {string[]} [ignores]
 */
const layer = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

const notUi = { group: ['react', 'react-dom', '**/app/**', '**/render/**', 'electron'], message: 'services run without Electron and never import React' };
/** The stores (electron/services/store) hold every statement: nothing else opens a connection or prepares SQL. */
const storeOnly = [
  { group: ['better-sqlite3'], message: 'only the stores (electron/services/store) use better-sqlite3 itself; pass the connection as a type', allowTypeImports: true },
  { group: ['**/store/sql'], message: 'statements are written in a store (electron/services/store), not beside the services' },
];
/** A store imports nothing of the services above it: shared code and engine types only. `up` leads out of the store folder. */
const storeBelow = (up) => ({
  regex: `^${up.replace(/\./g, '\\.')}(?!\\.\\./\\.\\./src/(shared|engine)/)`,
  message: 'a store imports nothing of the services above it (src/shared and engine types only)',
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'dist/**', '.device/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  layer(['src/shared/**'], [{ group: ['**/engine/**', '**/experiments/**', '**/app/**', '**/render/**', '**/electron/**', 'electron', 'react', 'node:*'], message: 'src/shared imports nothing of ours' }]),
  layer(['src/engine/**'], [{ group: ['**/experiments/**', '**/app/**', '**/render/**', '**/electron/**', 'electron', 'react', 'node:*'], message: 'src/engine only imports src/shared and the WebGPU API' }]),
  layer(['src/experiments/**'], [{ group: ['**/app/**', '**/render/**', '**/electron/**', 'electron', 'react', 'node:*'], message: 'src/experiments imports the engine and shared only' }]),
  layer(['src/engine-loop/**'], [{ group: ['**/app/**', '**/render/**', '**/electron/**', 'electron', 'react', 'node:*'], message: 'the engine loop runs experiments on the engine: it imports those and shared only' }]),
  layer(['src/app/**', 'src/render/**'], [{ group: ['**/electron/**', 'electron', 'node:*', '**/engine/**'], message: 'the UI never imports electron/ or the engine' }]),
  // The Electron glue and the hosts: anything below them, but SQL only through the stores.
  layer(['electron/**'], storeOnly, ['electron/services/**', 'electron/testing/**']),
  layer(['electron/services/**'], [notUi, ...storeOnly], ['electron/services/store/**']),
  layer(['electron/services/store/*.ts'], [notUi, storeBelow('../')]),
  layer(['electron/services/store/*/**'], [notUi, storeBelow('../../')]),
  {
    files: ['electron/**'],
    ignores: ['electron/services/store/**', 'electron/testing/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='prepare']", message: 'SQL is prepared in a store (electron/services/store) only' },
        { selector: "CallExpression[callee.property.name='pragma']", message: 'pragmas are the stores’ (electron/services/store)' },
      ],
    },
  },
  // Test files and test helpers may reach into Node, SQLite and anything else for fixtures.
  { files: ['**/*.test.ts', 'tests/**', 'electron/testing/**'], rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-syntax': 'off' } },
);
