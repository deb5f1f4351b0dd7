export default definePageConfig({
  navigationBarTitleText: '物业公司管理',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
