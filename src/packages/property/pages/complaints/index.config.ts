export default definePageConfig({
  navigationBarTitleText: '物业投诉认定',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
