export default definePageConfig({
  navigationBarTitleText: '待审核预约',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
