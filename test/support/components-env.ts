// Runs before the test framework and before any module is imported: make Taro's runtime take
// its web (H5) code paths, as in the H5 build.
process.env.TARO_ENV = 'h5'
process.env.TARO_PLATFORM = 'web'

// Compile-time constants the Taro build normally defines (webpack DefinePlugin).
Object.assign(globalThis, {
  DEPRECATED_ADAPTER_COMPONENT: false,
  ENABLE_INNER_HTML: true,
  ENABLE_ADJACENT_HTML: true,
  ENABLE_SIZE_APIS: false,
  ENABLE_TEMPLATE_CONTENT: true,
  ENABLE_CLONE_NODE: true,
  ENABLE_CONTAINS: true,
  ENABLE_MUTATION_OBSERVER: true,
})
