import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

/** main/core, shared included, runs in the CLI and `studio serve` too. */
const noElectron = { name: 'electron', message: 'main/core runs without Electron; pass values in.' }

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
    files: ['main/**/*.{ts,js,mjs}', 'test/**/*.{ts,js}', 'preload/**/*.ts', '*.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    // main/core is shared by the Electron app, the CLI and `studio serve`: it must never need Electron.
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/renderer/**', '**/electron/**', '**/serve/**', '**/preload/**', '**/cli'],
              message: 'main/core is what the shells are built on: it never imports one of them.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer reaches the core through api.ts only (the contract's types aside), and shares its TensorFlow-free facts
    // through @shared (main/core/shared): nothing that needs Node, Electron or TensorFlow.
    files: ['renderer/**/*.{ts,vue}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/preload/**'],
              // the contract's types are erased: they cost the page nothing
              allowTypeImports: true,
              message: 'The renderer imports the core only through @shared (main/core/shared).',
            },
            {
              group: ['@tensorflow/*', 'electron', 'node:*', 'better-sqlite3', 'sharp'],
              message: 'The renderer runs in a browser page: no Node, Electron or TensorFlow.',
            },
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
          paths: [noElectron],
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
    // No import circles: each one tangles the load order and hides which module owns what.
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,vue}'],
    plugins: { 'import-x': importX },
    settings: {
      // .vue files are linted for their own imports; they are not parsed as dependencies (their
      // TypeScript needs the parser options of a .vue file, which a .ts file's context lacks)
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.node.json', 'tsconfig.web.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // a route's lazy import() of its view is no circle at load time
      'import-x/no-cycle': [
        'error',
        { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: true },
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
