export default definePageConfig({
  navigationBarTitleText: '网格工作',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
