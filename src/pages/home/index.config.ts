export default definePageConfig({
  navigationBarTitleText: '邻里共治',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
