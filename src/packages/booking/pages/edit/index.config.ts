export default definePageConfig({
  navigationBarTitleText: '编辑场地',
})
