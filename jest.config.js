/**
 * jest 30, four projects:
 * - node:       pure TypeScript tests (unit, contract, runtime, handlers, gateway, build)
 * - components: Taro React components in jsdom (@tarojs/components' React build, Taro API shim)
 * - weapp:      the BUILT mini-program (dist/weapp) rendered by miniprogram-simulate
 *               (run `npm run build:weapp` first)
 * - e2e:        the BUILT H5 app (dist/h5) in Debian chromium via playwright-core
 *               (run `npm run build:h5` first)
 * Run one: npx jest --selectProjects components
 * DIST_DIR=/some/copy/of/dist: weapp and e2e test that copy instead of dist/ (then a build
 * started beside the tests cannot replace it mid-run).
 *
 * Tests must pass on a slow, busy machine (README, Tests): they wait for conditions, never for
 * time (test/support/poll.ts), and the deadlines below only bound a failure.
 */

const os = require('node:os')
const path = require('node:path')

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// Packages published as ESM that jest must transform (babel-jest turns them into CommonJS).
const ESM_PACKAGES = [
  '@tarojs',
  '@stencil',
  'lodash-es',
  'query-string',
  'decode-uri-component',
  'filter-obj',
  'split-on-first',
  'is-mobile',
  'swiper',
  'ssr-window',
  'dom7',
  'mobile-detect',
  'classnames',
  'tslib',
]

const alias = {
  '^@/(.*)$': '<rootDir>/src/$1',
}

const babelTransform = { '^.+\\.(m?[jt]sx?|cjs)$': ['babel-jest', { configFile: './babel.config.js' }] }

/** @type {import('jest').Config} */
module.exports = {
  // Per test and hook. Jest honours only this top-level value (a project's `testTimeout` is
  // ignored), so e2e raises its own in test/e2e/setup.ts. 5 s (jest's default) is not enough
  // for a 2-core machine running two CPU-bound processes beside the suite.
  testTimeout: 60_000,
  // Jest's default is one worker less than the CPUs: on a 2-core machine that is 1, i.e. every
  // file in turn in one process. Two workers finished the suite in 476 s instead of 607 s with
  // two CPU hogs beside it (and other people's builds and tests): much of it waits for
  // chromium, child processes and servers, and two workers get a larger share of a busy CPU.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/{unit,contract,runtime,handlers,gateway,build}/**/*.test.ts'],
      transform: babelTransform,
      moduleNameMapper: alias,
    },
    {
      // The database contract and the handler tests again, through the production adapter:
      // platform/wx → the real wx-server-sdk → HTTP → the local cloud's CloudBase endpoint
      // (test/support/sdk.ts). Same files, same assertions; DB_VIA=sdk switches the path.
      displayName: 'sdk',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/contract/db.test.ts', '<rootDir>/test/handlers/**/*.test.ts'],
      transform: babelTransform,
      moduleNameMapper: alias,
      setupFiles: ['<rootDir>/test/support/sdk-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/sdk-teardown.ts'],
    },
    {
      displayName: 'components',
      testEnvironment: 'jsdom',
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      testMatch: ['<rootDir>/test/components/**/*.test.{ts,tsx}'],
      transform: babelTransform,
      // Transform everything inside @tarojs (it vendors ESM copies of tslib, style-inject… in
      // nested node_modules) and the listed ESM packages; only the last node_modules segment counts.
      transformIgnorePatterns: [
        `^(?!.*/node_modules/@tarojs/).*/node_modules/(?!.*/node_modules/)(?!(${ESM_PACKAGES.join('|')})/)`,
      ],
      setupFiles: ['<rootDir>/test/support/components-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/components-setup.ts'],
      moduleNameMapper: {
        '\\.(css|scss|sass|less)$': '<rootDir>/test/support/style-stub.js',
        '^@tarojs/components$': '<rootDir>/node_modules/@tarojs/components/lib/react/index.js',
        '^@tarojs/taro$': '<rootDir>/test/support/taro-shim.ts',
        ...alias,
      },
    },
    {
      displayName: 'weapp',
      // miniprogram-simulate (j-component) renders into a DOM, so this project needs jsdom even
      // though it tests the mini-program build; the built code itself only sees our `wx` fake.
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/weapp/**/*.test.ts'],
      transform: babelTransform,
      // Run the built bundles as they are (no babel over dist/, or over the copy in $DIST_DIR).
      transformIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', ...(process.env.DIST_DIR ? [escapeRegExp(path.resolve(process.env.DIST_DIR))] : [])],
      moduleNameMapper: alias,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      transform: babelTransform,
      moduleNameMapper: alias,
      setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
    },
  ],
}
