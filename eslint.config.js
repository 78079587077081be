// @ts-check
import tseslint from 'typescript-eslint';

/** Layering of ../shared/STYLE.md: imports only point down. */
const layer = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
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
  layer(['src/shared/**'], ['**/engine/**', '**/experiments/**', '**/app/**', '**/render/**', '**/electron/**', 'electron', 'react', 'node:*'], 'src/shared imports nothing of ours'),
  layer(['src/engine/**'], ['**/experiments/**', '**/app/**', '**/render/**', '**/electron/**', 'electron', 'react', 'node:*'], 'src/engine only imports src/shared and the WebGPU API'),
  layer(['src/experiments/**'], ['**/app/**', '**/render/**', '**/electron/**', 'electron', 'react', 'node:*'], 'src/experiments imports the engine and shared only'),
  layer(['src/app/**', 'src/render/**'], ['**/electron/**', 'electron', 'node:*', '**/engine/**'], 'the UI never imports electron/ or the engine'),
  layer(['electron/services/**'], ['react', 'react-dom', '**/app/**', '**/render/**', 'electron'], 'services run without Electron and never import React'),
  // Test files may reach into Node for fixtures.
  { files: ['**/*.test.ts', 'tests/**'], rules: { 'no-restricted-imports': 'off' } },
);
