// One babel config for two consumers:
// - Taro's webpack build (preset `taro`, https://docs.taro.zone/docs/next/babel-config)
// - jest (babel-jest sets NODE_ENV=test → api.env('test')): plain presets for Node.
module.exports = function babelConfig(api) {
  if (api.env('test')) {
    return {
      presets: [
        ['@babel/preset-env', { targets: { node: 'current' } }],
        '@babel/preset-typescript',
        ['@babel/preset-react', { runtime: 'automatic' }],
      ],
    }
  }
  // H5 runs in today's browsers, not in the ES5 mini-program runtime the package.json browserslist
  // describes. zod 4 ships untranspiled ES2020 (`?.`, `??`) into the H5 bundle, so H5 already
  // needs an ES2020 browser (Chrome 80, Safari 13.1: WeChat's XWeb, iOS 13.4+): target exactly
  // that, with no polyfills. `useBuiltIns: 'usage'` made transform-runtime import its core-js
  // helpers (@babel/runtime-corejs3: Symbol, Promise, Array ponyfills for Android 4.1), ~30 KB
  // gzip of the first screen that those browsers never run. `targets` at the top level also
  // reaches the plugins, which the preset's own option does not.
  const h5 = process.env.TARO_ENV === 'h5'
  const H5_TARGETS = { chrome: '80', safari: '13.1', ios: '13.4' }
  return {
    ...(h5 ? { targets: H5_TARGETS } : {}),
    presets: [
      [
        'taro',
        {
          framework: 'react',
          ts: true,
          compiler: 'webpack5',
          useBuiltIns: false,
          ...(h5 ? { targets: H5_TARGETS } : {}),
        },
      ],
    ],
  }
}
