export default definePageConfig({
  navigationBarTitleText: '留言详情',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
