export default definePageConfig({
  navigationBarTitleText: '住户详情',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
