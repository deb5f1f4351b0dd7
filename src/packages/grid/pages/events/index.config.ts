export default definePageConfig({
  navigationBarTitleText: '上报事项',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
