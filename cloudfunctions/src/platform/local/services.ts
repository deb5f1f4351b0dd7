/**
 * The local cloud's platform services: the same port as production, backed by the local
 * database and the data folder. Subscribe messages and content checks are recorded in the
 * `outbox` collection so a developer (and a test) can see what production would have sent.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import type { Database } from '../db'
import type { Clock, ContentCheck, Logger, Notifier, PhoneService, Platform, Storage } from '../port'
import { templateData } from '../subscribe-fields'
import { templateFieldsEnv } from '../templates'

export interface LocalServicesOptions {
  db: Database
  /** Folder for uploaded files and the URL-signing secret; undefined = memory only (tests). */
  dataDir?: string
  clock?: Clock
  /** Words the local content check rejects (production uses msgSecCheck). */
  bannedWords?: string[]
  log?: Logger
  /** Where /files URLs point (the gateway's origin); relative by default. */
  fileBaseUrl?: string
  /**
   * Hold media-check verdicts back as production does (mediaCheckAsync answers only a trace id):
   * `media()` answers `pending`, and the verdict waits in the outbox until the local cloud
   * delivers it as the `wxa_media_check` push (LocalCloud.deliverMediaVerdicts). Off: the
   * verdict is immediate.
   */
  holdMediaVerdicts?: boolean
}

/** A verdict the local media check holds back, as the push WeChat would send (消息推送). */
export interface HeldMediaVerdict {
  traceId: string
  /** When the check started. */
  at: Date
  event: Record<string, unknown>
}

export const DEFAULT_BANNED_WORDS = ['违禁词', '赌博', '诈骗', '色情', '毒品']

/**
 * Local file ids look like `local://u/<openid>/<name>`, mirroring the `cloud://…/u/<openid>/…`
 * convention; files the functions generate (exports) are `local://exports/<folder>/<name>`.
 */
export const LOCAL_FILE_PREFIX = 'local://'

export function fileIdToPath(fileId: string): string | null {
  if (!fileId.startsWith(LOCAL_FILE_PREFIX)) return null
  const rel = normalize(fileId.slice(LOCAL_FILE_PREFIX.length))
  if (rel.startsWith('..') || rel.startsWith('/') || !/^(u|exports)\/[A-Za-z0-9_-]+\/[A-Za-z0-9_.-]+$/.test(rel)) return null
  return rel
}

/** The image types an upload may be, by extension. */
export type ImageType = 'jpg' | 'png' | 'gif' | 'webp'

/**
 * The image type of a file by its first bytes (JPEG FF D8 FF; PNG's 8-byte signature; GIF87a /
 * GIF89a; RIFF....WEBP), or null: the name and the Content-Type a client sends are not evidence.
 */
export function imageTypeOf(bytes: Uint8Array): ImageType | null {
  const starts = (sig: number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)
  const ascii = (t: string) => [...t].map((ch) => ch.charCodeAt(0))
  if (starts([0xff, 0xd8, 0xff])) return 'jpg'
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (starts(ascii('GIF87a')) || starts(ascii('GIF89a'))) return 'gif'
  if (starts(ascii('RIFF')) && starts(ascii('WEBP'), 8)) return 'webp'
  return null
}

export const quietLogger: Logger = { info() {}, warn() {}, error() {} }

export const consoleLogger: Logger = {
  info: (msg, meta) => console.log(`[cloud] ${msg}`, meta ? JSON.stringify(meta) : ''),
  warn: (msg, meta) => console.warn(`[cloud] ${msg}`, meta ? JSON.stringify(meta) : ''),
  error: (msg, meta) => console.error(`[cloud] ${msg}`, meta ? JSON.stringify(meta) : ''),
}

export interface LocalPlatform extends Platform {
  /**
   * Store an uploaded image for `openid`; returns its file id. The extension follows the type
   * its bytes show (imageTypeOf), not `name`, whose letters only label the file; throws when the
   * bytes are not an image (the gateway answers 415 before calling this).
   */
  saveUpload(openid: string, name: string, bytes: Buffer): string
  /** Verify a signed /files URL and return the file's bytes, or null. */
  readSigned(rel: string, exp: string, sig: string): Buffer | null
  filesDir: string | null
  /** The media-check verdicts held back and not yet delivered, oldest first (`holdMediaVerdicts`). */
  heldMediaVerdicts(): Promise<HeldMediaVerdict[]>
  /** Marks a held verdict delivered (its push was answered). */
  mediaVerdictDelivered(traceId: string): Promise<void>
}

export function createLocalServices(opts: LocalServicesOptions): LocalPlatform {
  const db = opts.db
  const clock = opts.clock ?? { now: () => new Date() }
  const log = opts.log ?? consoleLogger
  const banned = opts.bannedWords ?? DEFAULT_BANNED_WORDS
  const filesDir = opts.dataDir ? join(opts.dataDir, 'files') : null
  const memFiles = new Map<string, Buffer>()
  const secret = loadSecret(opts.dataDir)

  async function record(kind: string, data: Record<string, unknown>): Promise<void> {
    await db.collection('outbox').add({ data: { kind, ...data, at: clock.now() } })
  }

  const notify: Notifier = {
    async subscribe(msg) {
      // `fields`: what the handler said; `data`: what production would send with this
      // environment's mapping (TPL_<KEY>_FIELDS; unset: the declared defaults).
      const { data, problems } = templateData(msg.template, msg.fields, process.env[templateFieldsEnv(msg.template)])
      if (problems.length) log.warn('subscribe field mapping has problems', { template: msg.template, problems })
      await record('subscribe', { touser: msg.touser, template: msg.template, page: msg.page ?? null, fields: msg.fields, data })
      return { outcome: 'sent' }
    },
  }

  const contentCheck: ContentCheck = {
    async text(content, openid) {
      const hit = banned.find((w) => w && content.includes(w))
      await record('msgSecCheck', { openid: openid ?? null, content: content.slice(0, 200), verdict: hit ? 'reject' : 'pass' })
      return hit ? 'reject' : 'pass'
    },
    async media(fileId, openid) {
      // Locally a file whose name contains a banned word stands for an image the check rejects.
      const hit = banned.some((w) => w && decodeURIComponent(fileId).includes(w)) || fileId.includes('reject')
      if (!opts.holdMediaVerdicts) {
        await record('mediaCheck', { openid: openid ?? null, fileId, verdict: hit ? 'reject' : 'pass' })
        return { verdict: hit ? 'reject' : 'pass' }
      }
      // Shaped like WeChat's: <hex seconds>-<8 hex>-<8 hex>.
      const traceId = `${Math.floor(clock.now().getTime() / 1000).toString(16)}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`
      await record('mediaCheck', { openid: openid ?? null, fileId, verdict: 'pending', outcome: hit ? 'risky' : 'pass', traceId, delivered: false })
      return { verdict: 'pending', traceId }
    },
  }

  function sign(rel: string, exp: number): string {
    return createHmac('sha256', secret).update(`${rel}:${exp}`).digest('base64url')
  }

  const storage: Storage = {
    async tempUrls(fileIds) {
      const exp = clock.now().getTime() + 2 * 60 * 60 * 1000
      const out: Record<string, string> = {}
      for (const id of fileIds) {
        const rel = fileIdToPath(id)
        if (rel && hasFile(rel)) out[id] = `${opts.fileBaseUrl ?? ''}/files/${rel}?exp=${exp}&sig=${sign(rel, exp)}`
      }
      return out
    },
    async ownedBy(fileId, openid) {
      const rel = fileIdToPath(fileId)
      return !!rel && rel.startsWith(`u/${openid}/`) && hasFile(rel)
    },
    async save(path, bytes) {
      const rel = fileIdToPath(LOCAL_FILE_PREFIX + path)
      if (!rel || !rel.startsWith('exports/')) throw new Error(`save: not an exports/<folder>/<name> path: ${path}`)
      if (filesDir) {
        const full = join(filesDir, rel)
        mkdirSync(dirname(full), { recursive: true })
        writeFileSync(full, bytes)
      } else memFiles.set(rel, bytes)
      return LOCAL_FILE_PREFIX + rel
    },
    async remove(fileIds) {
      const gone: string[] = []
      for (const id of fileIds.slice(0, 50)) {
        const rel = fileIdToPath(id)
        if (!rel) continue
        if (filesDir) rmSync(join(filesDir, rel), { force: true })
        else memFiles.delete(rel)
        gone.push(id)
      }
      return gone
    },
  }

  function hasFile(rel: string): boolean {
    return filesDir ? existsSync(join(filesDir, rel)) : memFiles.has(rel)
  }

  const phone: PhoneService = {
    async exchange(code) {
      // Locally there is no WeChat phone button; a code `dev:<phone>` stands for one.
      const m = /^dev:(1[3-9]\d{9})$/.exec(code)
      if (!m) throw new Error('local phone exchange accepts only dev:<phone> codes')
      return m[1]
    },
  }

  return {
    db,
    clock,
    notify,
    contentCheck,
    storage,
    phone,
    log,
    filesDir,
    saveUpload(openid, name, bytes) {
      const ext = imageTypeOf(bytes)
      if (!ext) throw new Error('saveUpload: not a JPEG, PNG, GIF or WEBP image')
      const safeStem = name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24)
      const rel = `u/${openid.replace(/[^A-Za-z0-9_-]/g, '')}/${randomBytes(8).toString('hex')}${safeStem ? `-${safeStem}` : ''}.${ext}`
      if (filesDir) {
        const full = join(filesDir, rel)
        mkdirSync(dirname(full), { recursive: true })
        writeFileSync(full, bytes)
      } else memFiles.set(rel, bytes)
      return LOCAL_FILE_PREFIX + rel
    },
    async heldMediaVerdicts() {
      const out: HeldMediaVerdict[] = []
      for (;;) {
        const page = await db
          .collection<{ _id: string; traceId: string; openid: string | null; outcome: 'pass' | 'risky'; at: Date }>('outbox')
          .where({ kind: 'mediaCheck', delivered: false })
          .orderBy('at', 'asc')
          .skip(out.length)
          .limit(100)
          .get()
        for (const h of page.data) {
          const label = h.outcome === 'pass' ? 100 : 21000
          out.push({
            traceId: h.traceId,
            at: h.at,
            // What WeChat pushes for mediaCheckAsync v2 (消息推送, JSON).
            event: {
              ToUserName: 'gh_local',
              FromUserName: h.openid ?? '',
              CreateTime: Math.floor(clock.now().getTime() / 1000),
              MsgType: 'event',
              Event: 'wxa_media_check',
              appid: 'local',
              trace_id: h.traceId,
              version: 2,
              detail: [{ strategy: 'content_model', errcode: 0, suggest: h.outcome, label, prob: 90 }],
              errcode: 0,
              errmsg: 'ok',
              result: { suggest: h.outcome, label },
            },
          })
        }
        if (page.data.length < 100) return out
      }
    },
    async mediaVerdictDelivered(traceId) {
      await db.collection('outbox').where({ kind: 'mediaCheck', traceId }).update({ data: { delivered: true, deliveredAt: clock.now() } })
    },
    readSigned(rel, exp, sig) {
      const clean = fileIdToPath(LOCAL_FILE_PREFIX + rel)
      const expNum = Number(exp)
      if (!clean || !Number.isFinite(expNum) || expNum < clock.now().getTime()) return null
      if (sign(clean, expNum) !== sig) return null
      if (filesDir) {
        const full = join(filesDir, clean)
        return existsSync(full) ? readFileSync(full) : null
      }
      return memFiles.get(clean) ?? null
    },
  }
}

function loadSecret(dataDir?: string): Buffer {
  if (!dataDir) return randomBytes(32)
  const p = join(dataDir, 'secret.key')
  if (existsSync(p)) return readFileSync(p)
  mkdirSync(dataDir, { recursive: true })
  const s = randomBytes(32)
  writeFileSync(p, s)
  return s
}
