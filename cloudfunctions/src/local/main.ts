/**
 * `npm start`: the local cloud with the H5 client on one port.
 *   PORT (default 8790), HOST (default 127.0.0.1), DATA_DIR (default .data), H5_DIR (default dist/h5),
 *   LOCAL_BANNED_WORDS (comma list for the local content check), NO_TIMERS=1 to skip timer triggers,
 *   UPLOAD_DAILY_LIMIT (uploads per person per day, default 50), DEV_LOGIN=1 to keep the dev
 *   sign-in on while listening on a non-loopback address (it is off there by default),
 *   REQUEST_LEASE_MS (how long an interrupted idempotent create blocks its retries; default 2 min —
 *   the crash test shortens it), RATE_LIMITS=0 to switch the per-person rate limits off,
 *   MEDIA_VERDICT_DELAY_MS (photos stay 审核中 this long and their verdict then arrives through the
 *   `media` function, as WeChat's push does in production; default 0: the verdict is immediate).
 */
import { resolve } from 'node:path'
import { createLocalCloud } from './cloud'
import { startGateway } from './gateway'
import { seedDemo, seedDemoActivity } from './seed'

async function main(): Promise<void> {
  const dataDir = resolve(process.env.DATA_DIR ?? '.data')
  const cloud = await createLocalCloud({
    dataDir,
    bannedWords: process.env.LOCAL_BANNED_WORDS ? process.env.LOCAL_BANNED_WORDS.split(',') : undefined,
    mediaVerdictDelayMs: Number(process.env.MEDIA_VERDICT_DELAY_MS) || undefined,
    settings: {
      requestLeaseMs: Number(process.env.REQUEST_LEASE_MS) || undefined,
      rateLimits: process.env.RATE_LIMITS !== '0',
    },
  })
  const didSeed = await seedDemo(cloud.db)
  if (didSeed) await seedDemoActivity((openid, fn, action, payload) => cloud.call(fn, { action, payload }, openid), new Date(), (fn, trigger) => cloud.runTimer(fn, trigger))
  const stopTimers = process.env.NO_TIMERS ? () => undefined : cloud.startTimers()
  const gw = await startGateway({
    cloud,
    port: Number(process.env.PORT ?? 8790),
    host: process.env.HOST ?? '127.0.0.1',
    staticDir: resolve(process.env.H5_DIR ?? 'dist/h5'),
  })
  console.log('')
  console.log(`  邻里共治 本地云已启动${didSeed ? '（已写入演示数据）' : ''}`)
  console.log(`  应用 (H5):   ${gw.url}/`)
  if (gw.devLogin) console.log(`  开发登录:    ${gw.url}/dev/login`)
  else console.log('  开发登录:    已关闭（监听的不是本机地址；确需局域网调试时设置 DEV_LOGIN=1）')
  console.log(`  接口清单:    ${gw.url}/api`)
  console.log(`  数据目录:    ${dataDir}`)
  console.log('  按 Ctrl-C 停止')
  console.log('')
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    stopTimers()
    await gw.close()
    await cloud.close()
    console.log('  已停止，数据已保存。')
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
