export default definePageConfig({
  navigationBarTitleText: '计分标准设置',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
