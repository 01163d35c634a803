// Boundaries enforced by the toolchain: shared/ is pure (no electron, node:*, DOM-only code),
// renderer/ never reaches into electron/, and the engine, server and CLI never import electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'worker_threads', 'stream', 'zlib', 'readline'];
const noNode = [{ group: ['node:*', ...nodeBuiltins], message: 'shared/ runs in the renderer too: no Node built-ins here.' }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noNode, { group: ['electron', '*/electron/*', '../electron/*', '../../electron/*'], message: 'shared/ must not import electron or engine code.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'require', 'Buffer'],
    },
  },
  {
    // Playwright fixtures must destructure their (unused) fixture argument
    files: ['test/e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/electron/**', 'electron', 'node:*'], message: 'The renderer talks to the engine only through its API object.' }] }],
    },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The engine, server and CLI run without Electron.' }] }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'scripts/**/*.cjs', 'bin/**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
