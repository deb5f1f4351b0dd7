export default definePageConfig({
  navigationBarTitleText: '集中评价核查',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
