export default definePageConfig({
  navigationBarTitleText: '留言墙',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
