import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.tools/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The console: the rules of hooks (dependencies of effects and memos) on top of the above.
    files: ['apps/console/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The API and the other apps talk to workflows through their messages (names, shapes,
    // signatures), never through their implementation: it runs in the worker only.
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/workflows/**/*.workflow', '**/workflows/index'], message: 'import the workflow\'s messages (*.messages), not its implementation' }] },
      ],
    },
  },
  {
    // Determinism guard: workflow code may not reach I/O, Node built-ins, Prisma or activity implementations.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'], message: 'workflows must be deterministic: no Node built-ins' },
            { group: ['@prisma/*', 'pg', 'nodemailer'], message: 'workflows must not do I/O; use an activity' },
            { group: ['**/activities', '**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'import activity types only (proxyActivities)' },
            { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'workflows use @temporalio/workflow only' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'use sleep() or condition() from @temporalio/workflow' }, { name: 'setInterval', message: 'use sleep() in a loop' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the workflow random from the SDK (uuid4) or pass values in' }],
    },
  },
);
