// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-imports': ['error', { paths: [{ name: '@vscode/webview-ui-toolkit', message: 'Only webview/ui.ts imports the toolkit.' }] }],
    },
  },
  { files: ['webview/ui.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/demo/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'core/, shared/ and demo/ must not import vscode (see DESIGN.md).' }] }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', fetch: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
      },
    },
  },
  // Functions passed to page.waitForFunction run in the browser.
  { files: ['test/e2e/**/*.mjs'], languageOptions: { globals: { document: 'readonly', window: 'readonly', requestAnimationFrame: 'readonly' } } },
);
