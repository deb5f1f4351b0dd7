export default definePageConfig({
  navigationBarTitleText: '提交纠纷',
})
