export default definePageConfig({
  navigationBarTitleText: '场地管理',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
