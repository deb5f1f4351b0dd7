export default definePageConfig({
  navigationBarTitleText: '评价物业',
})
