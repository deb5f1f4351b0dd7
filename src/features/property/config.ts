/**
 * Page paths of the property feature (物业服务评价与红黑榜, subpackage `packages/property`).
 * Kept free of imports: the main package's 首页, 办事 and 我的 pages link here.
 */
const q = encodeURIComponent
const ROOT = '/packages/property/pages'

export const PROPERTY_URLS = {
  /** 红黑榜 (the entry). */
  board: `${ROOT}/board/index`,
  company: (id: string) => `${ROOT}/company/index?id=${q(id)}`,
  rate: `${ROOT}/rate/index`,
  // staff
  close: `${ROOT}/close/index`,
  companies: `${ROOT}/companies/index`,
  violations: (companyId: string) => `${ROOT}/violations/index?companyId=${q(companyId)}`,
  complaints: `${ROOT}/complaints/index`,
  bursts: `${ROOT}/bursts/index`,
  /** 计分标准设置 (admins change, staff read). */
  settings: `${ROOT}/settings/index`,
  // the company contact (role property)
  results: `${ROOT}/results/index`,
} as const
