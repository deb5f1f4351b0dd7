export default definePageConfig({
  navigationBarTitleText: '完善住址',
})
