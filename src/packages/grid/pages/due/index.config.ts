export default definePageConfig({
  navigationBarTitleText: '待走访',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
