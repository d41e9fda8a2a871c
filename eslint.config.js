import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser }, globals: globals.browser },
  },
  {
    files: ['main/**/*.{ts,js}', 'test/**/*.{ts,js}', 'preload/**/*.ts', '*.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    // main/core is shared by the Electron app, the CLI and `studio serve`: it must never need Electron.
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'main/core runs without Electron; pass values in.' },
          ],
        },
      ],
    },
  },
  {
    // main/core/shared is what the renderer imports (the @shared alias): plain data and zod only.
    files: ['main/core/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'main/core runs without Electron; pass values in.' },
          ],
          patterns: [
            {
              group: ['@tensorflow/*', 'node:*', '../*'],
              message:
                'The renderer imports main/core/shared: no TensorFlow, Node or other core modules.',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  prettier,
)
