// Lint rules enforce the three code zones (docs/architecture.md): src/core never imports `vscode`,
// webview/ is browser code (no `vscode`, no Node built-ins), and no `any` anywhere.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'child_process', 'os', 'http', 'https', 'net', 'worker_threads', 'crypto', 'util', 'stream', 'url'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'demo/**', 'test-results/**', '.vscode-test/**', '**/*.d.ts', 'test/fixtures/**', '.bench/**', 'out-*/**', '.scratch/**', '.demo-workspace/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core, src/shared and the CLI are pure: no `vscode` here.' }] }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', ...nodeBuiltins].map((name) => ({ name, message: 'webview/ is browser code.' })),
        patterns: [{ group: ['node:*'], message: 'webview/ is browser code.' }, { group: ['**/src/core/**', '**/src/traces/**', '**/src/platform/**'], message: 'webview/ may import only src/shared/protocol (types).' }],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { setImmediate: 'readonly', require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', __filename: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', performance: 'readonly', fetch: 'readonly', globalThis: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
