/**
 * Where the consent sheet sits on every page, weapp (Taro builds this file for weapp in place of
 * ./host.tsx): the sheet itself, from the start — it registers the listener WeChat asks whenever
 * a privacy API or the 手机号 button needs an answer. H5 loads it on the first question instead.
 */
export { PrivacyConsent as ConsentSheet } from './index'
