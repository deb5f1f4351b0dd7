export default definePageConfig({
  navigationBarTitleText: '待办纠纷',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
