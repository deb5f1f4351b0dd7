export default definePageConfig({
  navigationBarTitleText: '统计',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
