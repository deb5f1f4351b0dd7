/**
 * The production adapter: WeChat CloudBase through wx-server-sdk. This is the only module in the
 * repository that imports wx-server-sdk (a lint rule keeps it so). Locally the whole module is
 * replaced by platform/local and never loaded: the SDK needs Tencent's cloud for every call.
 */
import cloud from 'wx-server-sdk'
import type { Database } from '../db'
import type { ContentCheck, Invocation, Logger, Notifier, PhoneService, Platform, Storage } from '../port'
import { templateIdFor } from './templates'

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })

const log: Logger = {
  info: (msg, meta) => console.log(JSON.stringify({ level: 'info', msg, ...meta })),
  warn: (msg, meta) => console.warn(JSON.stringify({ level: 'warn', msg, ...meta })),
  error: (msg, meta) => console.error(JSON.stringify({ level: 'error', msg, ...meta })),
}

const notify: Notifier = {
  async subscribe(msg) {
    const templateId = templateIdFor(msg.template)
    if (!templateId) return { sent: false, reason: `no template id configured for ${msg.template}` }
    try {
      await cloud.openapi.subscribeMessage.send({
        touser: msg.touser,
        templateId,
        page: msg.page,
        data: Object.fromEntries(Object.entries(msg.data).map(([k, v]) => [k, { value: v }])),
        miniprogramState: process.env.MINIPROGRAM_STATE ?? 'formal',
      })
      return { sent: true }
    } catch (e) {
      // 43101: the person has not granted (or has used up) the one-time subscription.
      const reason = e instanceof Error ? e.message : String(e)
      log.warn('subscribe message not sent', { template: msg.template, reason })
      return { sent: false, reason }
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
    if (!url) return 'reject'
    // The verdict arrives asynchronously through the 内容安全 callback; until then the photo is
    // shown only to its uploader and the staff handling the case.
    await cloud.openapi.security.mediaCheckAsync({ mediaUrl: url, mediaType: 2, version: 2, scene: 2, openid })
    return 'pending'
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
}

const phone: PhoneService = {
  async exchange(code) {
    const res = await cloud.openapi.phonenumber.getPhoneNumber({ code })
    const num: unknown = res?.phoneInfo?.purePhoneNumber
    if (typeof num !== 'string') throw new Error('phone number exchange failed')
    return num
  },
}

export function wxPlatform(): Platform {
  return {
    db: cloud.database() as unknown as Database,
    clock: { now: () => new Date() },
    notify,
    contentCheck,
    storage,
    phone,
    log,
  }
}

/**
 * Who is calling this invocation: the OPENID WeChat injects. Only an event shaped like CloudBase's
 * timer trigger and arriving without an OPENID is the platform's own timer; any other call
 * without an OPENID is an anonymous person (and gets UNAUTHENTICATED). Do not enable HTTP
 * access (云接入) for these functions.
 */
export function wxInvocation(event: unknown): Invocation {
  const { OPENID } = cloud.getWXContext()
  const timer = !OPENID && typeof event === 'object' && event !== null && (event as { Type?: unknown }).Type === 'Timer'
  return { openid: OPENID || null, source: timer ? 'timer' : 'person' }
}
