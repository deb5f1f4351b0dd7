export default definePageConfig({
  navigationBarTitleText: '物业公司',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
