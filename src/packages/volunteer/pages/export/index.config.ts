export default definePageConfig({
  navigationBarTitleText: '导出工时积分',
})
