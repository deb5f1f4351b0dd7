/** 我的数据 (onboarding subpackage) and 注销申请 (staff subpackage): the links 我的 offers, without the data code. */
export const MY_DATA_URL = '/packages/onboarding/pages/data/index'
export const DELETIONS_URL = '/packages/staff/pages/deletions/index'
