import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin'
import devConfig from './dev'
import prodConfig from './prod'

/**
 * Packages in node_modules that ship syntax newer than the WeChat runtime accepts (ES5 with
 * `setting.es6: false`). Babel transpiles them for weapp. Add to this list when a new
 * dependency brings ES2015+ code (e.g. qrcode-generator).
 */
const TRANSPILE_PACKAGES = ['zod', 'dayjs', 'qrcode-generator']
const transpileInclude = (filename: string): boolean =>
  TRANSPILE_PACKAGES.some((p) => filename.includes(`${path.sep}node_modules${path.sep}${p}${path.sep}`))

// https://docs.taro.zone/docs/next/config#defineconfig-辅助函数
export default defineConfig<'webpack5'>(async (merge) => {
  const taroEnv = process.env.TARO_ENV ?? 'weapp'
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'linli-gongzhi',
    date: '2025-11-21',
    designWidth: 375,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // One output folder per target: dist/weapp (project.config.json points at it), dist/h5.
    outputRoot: `dist/${taroEnv}`,
    plugins: [],
    defineConstants: {},
    copy: { patterns: [], options: {} },
    // Taro copies the root project.config.json into the weapp output, where its paths
    // (miniprogramRoot dist/weapp/, cloudfunctionRoot cloudfunctions/dist/) point nowhere. DevTools
    // opens the repository root, so the output needs no project file: Taro reads this name at the
    // root and in src/, finds no such file and writes none.
    projectConfigName: 'project.config.none.json',
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: {
        include: [transpileInclude],
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        // `@/` → src/ from tsconfig.json "paths"
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        // `@/` → src/ from tsconfig.json "paths"
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
        // Accessibility (无障碍) in the browser: the pages' `@tarojs/components` is Taro's own set
        // with View, Text, Image, Button and Picker mapped from WeChat's props to HTML's
        // (`aria-role` → `role`, keyboard focus for what is tappable, `alt`): see
        // src/components/h5-components.ts. This runs after Taro's alias of the same name.
        chain.resolve.alias.set('@tarojs/components$', path.resolve(__dirname, '..', 'src', 'components', 'h5-components.ts'))
        // That module only re-exports. Declared free of side effects, it lets webpack send a page's
        // `import { View }` straight to the module making View, so each page's chunk holds only the
        // components it imports, not every one the app uses (issue 13: 首页's first screen).
        chain.module.rule('h5-components-reexports').test(/[\\/]src[\\/]components[\\/]h5-components\.ts$/).set('sideEffects', false)
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
