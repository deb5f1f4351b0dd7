export default definePageConfig({
  navigationBarTitleText: '注销申请',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
