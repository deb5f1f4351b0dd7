export default definePageConfig({
  navigationBarTitleText: '常用回复',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
