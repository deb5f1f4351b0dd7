// ESLint 9 flat config. Besides the usual TypeScript and React-hooks checks, it holds the
// layer rules of ARCHITECTURE.md ("imports point down only"):
//   pages / components / features → services, shared
//   src/services (client gateway) → shared          (the only caller of the backend)
//   src/shared                    → zod, dayjs only
//   cloudfunctions runtime/handlers → shared, platform port; only platform/wx imports wx-server-sdk
// Note: in flat config a later block's options for the same rule REPLACE the earlier ones, so
// every block below lists the complete set of restrictions for its folder.
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const TS = '**/*.{ts,tsx,mts,cts}'

// ---- reusable restriction entries ----
const noWxServerSdk = {
  name: 'wx-server-sdk',
  message: 'Only cloudfunctions/src/platform/wx may import wx-server-sdk (the wx adapter).',
}
const noCloudfunctionsFromClient = {
  regex: '(^|/)cloudfunctions(/|$)',
  message: 'The client (src/) must not import cloud-function code; call the backend through src/services.',
}
const noTaroBackendImports = {
  name: '@tarojs/taro',
  importNames: ['cloud', 'request'],
  message: 'Only src/services calls the backend (Taro.cloud.callFunction / Taro.request).',
}
const noClientFromCloud = {
  regex: '^@tarojs/|^react(-dom)?$|(^|/)src/(components|pages|features|services|packages)(/|$)|^@/(components|pages|features|services|packages)(/|$)',
  message: 'Cloud functions must not import client code (Taro, React, src/ pages, components, services).',
}
const noRuntimeOrHandlersFromPlatform = {
  regex: '(^|/)(handlers|runtime|functions|local/(cloud|gateway|main|seed))(/|$)',
  message: 'The platform port and its adapters sit below handlers and the runtime: they must not import them.',
}

/** src/shared may import zod, dayjs (and its plugins) and relative files inside src/shared. */
const SHARED_ALLOWED = {
  regex: '^(?!(zod(/.*)?|dayjs|dayjs/plugin/[\\w.-]+|\\.{1,2}/.*)$).*',
  message: 'src/shared may import only zod, dayjs (dayjs/plugin/*) and files inside src/shared.',
}
// Relative imports must not climb out of src/shared: a file at depth d (src/shared/<d dirs>/x.ts)
// escapes with d + 1 "../". One block per depth, since patterns cannot see the file's path.
const sharedDepthBlocks = [0, 1, 2, 3, 4].map((depth) => ({
  name: `layers/shared-depth-${depth}`,
  files: [`src/shared/${'*/'.repeat(depth)}*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          SHARED_ALLOWED,
          {
            regex: `^(\\.\\./){${depth + 1},}`,
            message: 'src/shared must not import files outside src/shared.',
          },
        ],
      },
    ],
  },
}))

const backendCallSyntax = [
  {
    selector: "MemberExpression[property.name='callFunction']",
    message: 'Only src/services may call cloud functions; use a service function.',
  },
  {
    selector: "MemberExpression[object.name='Taro'][property.name='request']",
    message: 'Only src/services may call Taro.request; use a service function.',
  },
  {
    selector: "MemberExpression[object.name='wx'][property.name='request']",
    message: 'Only src/services may call wx.request; use a service function.',
  },
]

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'cloudfunctions/dist/**',
      '.data/**',
      '.build/**',
      'coverage/**',
      'bench/**',
      'test/e2e/screens/**',
      '.temp/**',
      '.swc/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    name: 'project/base',
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  {
    name: 'project/tests',
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      // Test helpers often take loosely typed payloads on purpose.
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    name: 'project/node-scripts',
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'project/commonjs',
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'project/react',
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },

  // ---------------- layers: client ----------------
  {
    name: 'layers/client',
    files: [`src/${TS}`],
    ignores: ['src/shared/**', 'src/services/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noWxServerSdk, noTaroBackendImports], patterns: [noCloudfunctionsFromClient] },
      ],
      'no-restricted-syntax': ['error', ...backendCallSyntax],
    },
  },
  {
    name: 'layers/services',
    files: [`src/services/${TS}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noWxServerSdk],
          patterns: [
            noCloudfunctionsFromClient,
            {
              regex: '^@/(components|pages|features|packages)(/|$)|(^|/)(components|pages|features|packages)/',
              message: 'src/services sits below pages and components: it may import only src/shared.',
            },
          ],
        },
      ],
    },
  },
  ...sharedDepthBlocks,

  // ---------------- layers: cloud functions ----------------
  {
    name: 'layers/cloudfunctions',
    files: [`cloudfunctions/src/${TS}`],
    rules: {
      'no-restricted-imports': ['error', { paths: [noWxServerSdk], patterns: [noClientFromCloud] }],
    },
  },
  {
    name: 'layers/platform',
    files: [`cloudfunctions/src/platform/${TS}`],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noWxServerSdk], patterns: [noClientFromCloud, noRuntimeOrHandlersFromPlatform] },
      ],
    },
  },
  {
    name: 'layers/platform-wx',
    files: [`cloudfunctions/src/platform/wx/${TS}`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noClientFromCloud, noRuntimeOrHandlersFromPlatform] }],
    },
  },
)
