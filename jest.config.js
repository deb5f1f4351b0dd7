/**
 * jest 30, four projects:
 * - node:       pure TypeScript tests (unit, contract, runtime, handlers, gateway, build)
 * - components: Taro React components in jsdom (@tarojs/components' React build, Taro API shim)
 * - weapp:      the BUILT mini-program (dist/weapp) rendered by miniprogram-simulate
 *               (run `npm run build:weapp` first)
 * - e2e:        the BUILT H5 app (dist/h5) in Debian chromium via playwright-core
 *               (run `npm run build:h5` first)
 * Run one: npx jest --selectProjects components
 */

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
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/{unit,contract,runtime,handlers,gateway,build}/**/*.test.ts'],
      transform: babelTransform,
      moduleNameMapper: alias,
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
      // Run the built bundles as they are (no babel over dist/).
      transformIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
      moduleNameMapper: alias,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      transform: babelTransform,
      moduleNameMapper: alias,
      testTimeout: 60000,
    },
  ],
}
