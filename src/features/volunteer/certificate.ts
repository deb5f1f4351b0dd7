/**
 * The 志愿服务证明 (certificate) drawn on a 2d canvas with plain calls — no chart or canvas
 * library: a bordered sheet, the title, the statement with name, community, hours and number of
 * activities, the recent activities, the date, and a round red seal drawn as text on an arc.
 * `drawCertificate` only draws on the context it is given, so a test can record what it wrote.
 */
import { formatDate } from '@/shared/time'
import { formatHours } from './format'

export interface CertificateData {
  name: string
  communityName: string
  partyUnit: string | null
  hours: number
  points: number
  activities: number
  recent: ReadonlyArray<{ title: string; date: string; hours: number }>
}

const RED = '#b3141a'
const INK = '#1f2329'
const GREY = '#4e5969'
const FONT = '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif'
const font = (px: number, bold = false) => `${bold ? 'bold ' : ''}${Math.round(px)}px ${FONT}`

/** The statement, as one paragraph (also what the page shows in text for screen readers). */
export function certificateText(d: CertificateData): string {
  const who = d.partyUnit ? `${d.name}（${d.partyUnit}）` : d.name
  const where = d.communityName || '本社区'
  return `兹证明 ${who} 同志在${where}积极参加志愿服务活动 ${d.activities} 次，累计志愿服务时长 ${formatHours(d.hours)} 小时，获得志愿积分 ${d.points} 分。特发此证，以资鼓励。`
}

/** Punctuation that may not start a line (it stays at the end of the line before, as Chinese typesetting does). */
const NO_LINE_START = '，。、；：！？）」』》”’%'

/** Breaks text into lines no wider than `max` (character by character: Chinese has no spaces). */
export function wrapText(ctx: Pick<CanvasRenderingContext2D, 'measureText'>, text: string, max: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const ch of Array.from(text)) {
    const next = line + ch
    if (line && ctx.measureText(next).width > max && !NO_LINE_START.includes(ch)) {
      lines.push(line)
      line = ch
    } else line = next
  }
  if (line) lines.push(line)
  return lines
}

/** The text on one line, cut with … when it is too wide. */
export function ellipsis(ctx: Pick<CanvasRenderingContext2D, 'measureText'>, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text
  const chars = Array.from(text)
  while (chars.length > 1 && ctx.measureText(`${chars.join('')}…`).width > max) chars.pop()
  return `${chars.join('')}…`
}

function star(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number) {
  ctx.beginPath()
  for (let i = 0; i < 10; i++) {
    const radius = i % 2 === 0 ? r : r * 0.4
    const angle = -Math.PI / 2 + (i * Math.PI) / 5
    const x = cx + radius * Math.cos(angle)
    const y = cy + radius * Math.sin(angle)
    if (i === 0) ctx.moveTo(x, y)
    else ctx.lineTo(x, y)
  }
  ctx.closePath()
  ctx.fill()
}

/** A round red seal: the community's name along the top arc, a star, 志愿服务专用章 across. */
export function drawSeal(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number, community: string) {
  ctx.save()
  ctx.globalAlpha = 0.82
  ctx.strokeStyle = RED
  ctx.fillStyle = RED
  ctx.lineWidth = Math.max(2, r * 0.06)
  ctx.beginPath()
  ctx.arc(cx, cy, r, 0, Math.PI * 2)
  ctx.stroke()
  ctx.lineWidth = 1
  ctx.beginPath()
  ctx.arc(cx, cy, r * 0.9, 0, Math.PI * 2)
  ctx.stroke()

  // The name along the arc, centred on the top, reading left to right.
  const chars = Array.from(community || '社区')
  const size = Math.min(r * 0.3, (r * 3.2) / Math.max(chars.length, 4))
  ctx.font = font(size, true)
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  const span = Math.min(Math.PI * 1.25, chars.length * ((size * 1.1) / (r * 0.72)))
  chars.forEach((ch, i) => {
    const angle = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / chars.length
    ctx.save()
    ctx.translate(cx + r * 0.72 * Math.cos(angle), cy + r * 0.72 * Math.sin(angle))
    ctx.rotate(angle + Math.PI / 2)
    ctx.fillText(ch, 0, 0)
    ctx.restore()
  })

  star(ctx, cx, cy - r * 0.05, r * 0.24)
  ctx.font = font(r * 0.17, true)
  ctx.fillText('志愿服务专用章', cx, cy + r * 0.45)
  ctx.restore()
}

/** Draws the whole certificate into a `width` × `height` area (CSS px; laid out for a 2 : 3 sheet) of the context. */
export function drawCertificate(ctx: CanvasRenderingContext2D, width: number, height: number, d: CertificateData, today: Date = new Date()) {
  const s = width / 345 // designed for a 345-px-wide sheet
  const pad = 28 * s
  ctx.save()
  ctx.fillStyle = '#fffaf2'
  ctx.fillRect(0, 0, width, height)
  ctx.strokeStyle = RED
  ctx.lineWidth = 4 * s
  ctx.strokeRect(8 * s, 8 * s, width - 16 * s, height - 16 * s)
  ctx.lineWidth = 1
  ctx.strokeRect(14 * s, 14 * s, width - 28 * s, height - 28 * s)

  ctx.textAlign = 'center'
  ctx.textBaseline = 'alphabetic'
  ctx.fillStyle = RED
  ctx.font = font(26 * s, true)
  ctx.fillText('志愿服务证明', width / 2, 62 * s)
  ctx.fillStyle = GREY
  ctx.font = font(11 * s)
  ctx.fillText('VOLUNTEER SERVICE CERTIFICATE', width / 2, 82 * s)

  // The three figures.
  const figures: Array<[string, string]> = [
    [formatHours(d.hours), '服务时长（小时）'],
    [String(d.activities), '参加活动（次）'],
    [String(d.points), '志愿积分'],
  ]
  const colW = (width - pad * 2) / 3
  figures.forEach(([value, label], i) => {
    const x = pad + colW * (i + 0.5)
    ctx.fillStyle = RED
    ctx.font = font(24 * s, true)
    ctx.fillText(value, x, 124 * s)
    ctx.fillStyle = GREY
    ctx.font = font(11 * s)
    ctx.fillText(label, x, 142 * s)
  })

  // The statement.
  ctx.textAlign = 'left'
  ctx.fillStyle = INK
  ctx.font = font(15 * s)
  let y = 180 * s
  const lineH = 26 * s
  for (const line of wrapText(ctx, certificateText(d), width - pad * 2)) {
    ctx.fillText(line, pad, y)
    y += lineH
  }

  // Recent activities.
  if (d.recent.length) {
    y += 6 * s
    ctx.fillStyle = GREY
    ctx.font = font(12 * s, true)
    ctx.fillText('近期参加的活动', pad, y)
    y += 20 * s
    ctx.font = font(12 * s)
    for (const r of d.recent.slice(0, 3)) {
      const right = `${formatHours(r.hours)} 小时`
      const left = ellipsis(ctx, `${r.date.replace(/^\d{4}年/, '')}  ${r.title}`, width - pad * 2 - 60 * s)
      ctx.textAlign = 'left'
      ctx.fillText(left, pad, y)
      ctx.textAlign = 'right'
      ctx.fillText(right, width - pad, y)
      y += 19 * s
    }
  }

  // Issuer and date at the bottom right; the seal stamped just left of them, over the date's start.
  const bottom = height - 40 * s
  ctx.textAlign = 'right'
  ctx.fillStyle = INK
  ctx.font = font(14 * s)
  ctx.fillText(d.communityName || '社区', width - pad, bottom - 24 * s)
  ctx.fillText(formatDate(today), width - pad, bottom)
  drawSeal(ctx, width - pad - 128 * s, bottom - 20 * s, 44 * s, d.communityName)
  ctx.restore()
}
