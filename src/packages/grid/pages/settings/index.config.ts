export default definePageConfig({
  navigationBarTitleText: '网格设置',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
