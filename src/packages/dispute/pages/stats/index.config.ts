export default definePageConfig({
  navigationBarTitleText: '纠纷统计',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
