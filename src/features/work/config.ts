/** 工作台 (subpackage `packages/work`). Kept free of imports: the main package's 我的 and 办事 link here. */
export const WORK_URL = '/packages/work/pages/index/index'
