export default definePageConfig({
  navigationBarTitleText: '季度评定',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
