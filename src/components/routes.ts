/** 入驻 / 完善住址 (subpackage `packages/onboarding`): where PageWrapper sends a visitor without an address. */
export const ONBOARDING_URL = '/packages/onboarding/pages/index/index'
