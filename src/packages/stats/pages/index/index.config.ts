export default definePageConfig({
  navigationBarTitleText: '统计与台账',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
