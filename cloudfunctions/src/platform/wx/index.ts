/**
 * The production adapter: WeChat CloudBase through wx-server-sdk. This is the only module in the
 * repository that imports wx-server-sdk (a lint rule keeps it so). Locally the whole module is
 * replaced by platform/local and never loaded: the SDK needs Tencent's cloud for every call.
 */
import { serialTransactions } from '../serial-tx'
import cloud from 'wx-server-sdk'
import type { Database } from '../db'
import type { ContentCheck, Invocation, Logger, Notifier, PhoneService, Platform, Storage } from '../port'
import { sendFailure, templateDataFor, templateIdFor } from './templates'

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })

const log: Logger = {
  info: (msg, meta) => console.log(JSON.stringify({ level: 'info', msg, ...meta })),
  warn: (msg, meta) => console.warn(JSON.stringify({ level: 'warn', msg, ...meta })),
  error: (msg, meta) => console.error(JSON.stringify({ level: 'error', msg, ...meta })),
}

const notify: Notifier = {
  async subscribe(msg) {
    const templateId = templateIdFor(msg.template)
    if (!templateId) return { outcome: 'skipped', reason: `no template id configured for ${msg.template}` }
    // Our fields → this deployment's template keys (TPL_<KEY>_FIELDS), each value fitted to its key's type.
    const { data, problems } = templateDataFor(msg.template, msg.fields)
    if (problems.length) log.warn('subscribe field mapping has problems', { template: msg.template, problems })
    try {
      await cloud.openapi.subscribeMessage.send({
        touser: msg.touser,
        templateId,
        page: msg.page,
        data,
        miniprogramState: process.env.MINIPROGRAM_STATE ?? 'formal',
      })
      return { outcome: 'sent' }
    } catch (e) {
      // 43101: the person has not granted (or has used up) the one-time subscription; 47003: a
      // value the template refuses (check TPL_<KEY>_FIELDS against the template's keys).
      const { errCode, reason } = sendFailure(e)
      log.warn('subscribe message not sent', { template: msg.template, errCode, reason })
      return { outcome: 'refused', errCode, reason }
    }
  },
}

const contentCheck: ContentCheck = {
  async text(content, openid) {
    if (!content.trim()) return 'pass'
    const res = await cloud.openapi.security.msgSecCheck({ content, version: 2, scene: 2, openid })
    return res?.result?.suggest === 'pass' ? 'pass' : 'reject'
  },
  async media(fileId, openid) {
    const { fileList } = (await cloud.getTempFileURL({ fileList: [fileId] })) as { fileList: Array<{ tempFileURL: string }> }
    const url = fileList[0]?.tempFileURL
    if (!url) return { verdict: 'reject' }
    // The verdict arrives asynchronously: WeChat pushes the `wxa_media_check` event with this
    // trace id to the `media` function (消息推送, README). Until then the photo is shown only to
    // its uploader. The cloud call answers `traceId`; the HTTPS API spells it `trace_id`.
    const res = (await cloud.openapi.security.mediaCheckAsync({ mediaUrl: url, mediaType: 2, version: 2, scene: 2, openid })) as {
      traceId?: unknown
      trace_id?: unknown
    }
    const traceId = typeof res?.traceId === 'string' ? res.traceId : typeof res?.trace_id === 'string' ? res.trace_id : ''
    if (!traceId) throw new Error('mediaCheckAsync answered without a trace id')
    return { verdict: 'pending', traceId }
  },
}

const storage: Storage = {
  async tempUrls(fileIds) {
    if (fileIds.length === 0) return {}
    const out: Record<string, string> = {}
    for (let i = 0; i < fileIds.length; i += 50) {
      const res = (await cloud.getTempFileURL({ fileList: fileIds.slice(i, i + 50) })) as {
        fileList: Array<{ fileID: string; tempFileURL: string; status: number }>
      }
      for (const f of res.fileList) if (f.status === 0) out[f.fileID] = f.tempFileURL
    }
    return out
  },
  async ownedBy(fileId, openid) {
    // Clients upload to `u/<openid>/…` (see src/services/upload.ts).
    if (!fileId.startsWith('cloud://') || !fileId.includes(`/u/${openid}/`)) return false
    const urls = await storage.tempUrls([fileId])
    return fileId in urls
  },
  async save(path, bytes) {
    // A function's own upload: no person owns it, so the storage rule (仅创建者可读写) keeps every
    // client away from it; people reach it only through the temporary URL the function hands out.
    const res = (await cloud.uploadFile({ cloudPath: path, fileContent: bytes })) as { fileID?: string }
    if (!res.fileID) throw new Error('uploadFile answered without a fileID')
    return res.fileID
  },
  async remove(fileIds) {
    if (fileIds.length === 0) return []
    const res = (await cloud.deleteFile({ fileList: fileIds.slice(0, 50) })) as { fileList: Array<{ fileID: string; status: number; errMsg?: string }> }
    // status 0: deleted; a file already gone answers an error status, and is gone all the same.
    return res.fileList.filter((f) => f.status === 0 || /not ?exist|NOT_EXIST/i.test(f.errMsg ?? '')).map((f) => f.fileID)
  },
}

const phone: PhoneService = {
  async exchange(code) {
    const res = await cloud.openapi.phonenumber.getPhoneNumber({ code })
    const num: unknown = res?.phoneInfo?.purePhoneNumber
    if (typeof num !== 'string') throw new Error('phone number exchange failed')
    return num
  },
}

/**
 * `env`: the CloudBase environment of the database; production leaves it out (the function's own
 * environment, DYNAMIC_CURRENT_ENV). The tests that run this adapter against the local cloud's
 * CloudBase endpoint name one environment per local database.
 */
export function wxPlatform(opts: { env?: string; sequentialTransactions?: boolean } = {}): Platform {
  const db = (opts.env === undefined ? cloud.database() : cloud.database({ env: opts.env })) as unknown as Database
  return {
    // TX_SEQUENTIAL=1: a transaction's requests one after another (platform/serial-tx.ts).
    db: (opts.sequentialTransactions ?? process.env.TX_SEQUENTIAL === '1') ? serialTransactions(db) : db,
    clock: { now: () => new Date() },
    notify,
    contentCheck,
    storage,
    phone,
    log,
  }
}

/**
 * The `SOURCE`s (getWXContext; the first link of the chain) through which a person's mini-program
 * — or a developer's tools — call a function. An invocation from any of them is a person's call,
 * whatever its event looks like.
 */
const PERSON_SOURCES = new Set(['wx_client', 'wx_devtools', 'wx_localdebug', 'wx_crawler'])

/** The message pushes (消息推送) this product receives: the 内容安全 verdict of mediaCheckAsync. */
function isPlatformPush(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false
  const e = event as { MsgType?: unknown; Event?: unknown; trace_id?: unknown }
  return e.MsgType === 'event' && e.Event === 'wxa_media_check' && typeof e.trace_id === 'string'
}

/**
 * Who is calling this invocation: the OPENID WeChat injects. Only an event shaped like CloudBase's
 * timer trigger and arriving without an OPENID is the platform's own timer; any other call
 * without an OPENID is an anonymous person (and gets UNAUTHENTICATED). Do not enable HTTP
 * access (云接入) for these functions.
 *
 * A message push (消息推送 → 云函数) is shaped like the message (`MsgType`, `Event`) and comes
 * with an OPENID only when WeChat names the user it concerns (FromUserName), so OPENID cannot
 * tell it from a person; SOURCE does: a person's call always comes from a client source. The
 * push acts for nobody (serve() drops the OPENID) and reaches only `access: 'push'` actions; the
 * trace id it must name is never sent to any client, so a forged verdict would also have to guess it.
 */
export function wxInvocation(event: unknown): Invocation {
  const { OPENID, SOURCE } = cloud.getWXContext() as { OPENID?: string; SOURCE?: string }
  const timer = !OPENID && typeof event === 'object' && event !== null && (event as { Type?: unknown }).Type === 'Timer'
  const origin = String(SOURCE ?? '').split(',')[0].trim()
  const push = !timer && isPlatformPush(event) && !PERSON_SOURCES.has(origin)
  if (push) log.info('message push', { source: SOURCE ?? null, event: (event as { Event: string }).Event })
  return { openid: OPENID || null, source: timer ? 'timer' : push ? 'push' : 'person' }
}
