export default definePageConfig({
  navigationBarTitleText: '评定结果与申诉',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
