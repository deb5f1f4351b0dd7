export default definePageConfig({
  navigationBarTitleText: '网格户籍',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
