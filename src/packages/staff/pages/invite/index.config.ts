export default definePageConfig({
  navigationBarTitleText: '生成邀请码',
})
