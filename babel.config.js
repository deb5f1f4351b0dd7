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
  return {
    presets: [
      [
        'taro',
        {
          framework: 'react',
          ts: true,
          compiler: 'webpack5',
          useBuiltIns: process.env.TARO_ENV === 'h5' ? 'usage' : false,
        },
      ],
    ],
  }
}
