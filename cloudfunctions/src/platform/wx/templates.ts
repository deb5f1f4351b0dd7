/**
 * Subscribe-message templates: our stable keys → the template ids chosen in the mini-program's
 * 订阅消息 console. Ids differ per deployment, so they come from the function's environment
 * variables (`TPL_<KEY>` in CloudBase → 云函数 → 配置), never from code.
 */
export function templateIdFor(key: string): string | undefined {
  return process.env[`TPL_${key.toUpperCase()}`] || undefined
}
