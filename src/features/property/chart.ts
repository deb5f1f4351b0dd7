/**
 * The company page's trend chart (信用档案): one score per published quarter on a 1–5 scale, drawn
 * by hand on a `<Canvas type='2d'>` (≈ 1 KB instead of a chart library). A quarter without a
 * published score leaves a gap in the line. The layout is a pure function, so tests check where
 * points land without a canvas; `drawTrend` only paints it.
 */
import { BLACK_BELOW, RED_AT } from '@/shared/rules/property'
import { shortQuarter, type TrendPoint } from './format'

export const Y_MIN = 1
export const Y_MAX = 5

export interface TrendLayout {
  /** The plot area in CSS px. */
  left: number
  right: number
  top: number
  bottom: number
  /** One per quarter, in order; `y` null where there is no score. */
  points: Array<{ x: number; y: number | null; label: string; value: number | null; showLabel: boolean }>
  /** Consecutive runs of scored points (a null breaks the line). */
  segments: Array<Array<{ x: number; y: number }>>
  yOf: (v: number) => number
}

/** `fontSize`: the labels' size (18 in 长辈模式): the margins and the label spacing grow with it. */
export function trendLayout(series: readonly TrendPoint[], width: number, height: number, fontSize = 11): TrendLayout {
  const left = 19 + fontSize
  const right = width - 12
  const top = 3 + fontSize
  const bottom = height - Math.round(11 + fontSize * 1.4)
  const yOf = (v: number) => bottom - ((Math.max(Y_MIN, Math.min(Y_MAX, v)) - Y_MIN) / (Y_MAX - Y_MIN)) * (bottom - top)
  const n = series.length
  const step = n > 1 ? (right - left - 16) / (n - 1) : 0
  // Axis labels ("26年Q3") need ~4 em each: with many quarters, label every k-th (and always the last).
  const every = Math.max(1, Math.ceil((fontSize * 4) / Math.max(step, 1)))
  const points = series.map((p, i) => ({
    x: n > 1 ? left + 8 + i * step : (left + right) / 2,
    y: p.value === null ? null : yOf(p.value),
    label: shortQuarter(p.quarter),
    value: p.value,
    showLabel: n === 1 || i === n - 1 || (i % every === 0 && n - 1 - i >= every),
  }))
  const segments: TrendLayout['segments'] = []
  let run: Array<{ x: number; y: number }> = []
  for (const p of points) {
    if (p.y === null) {
      if (run.length) segments.push(run)
      run = []
    } else run.push({ x: p.x, y: p.y })
  }
  if (run.length) segments.push(run)
  return { left, right, top, bottom, points, segments, yOf }
}

const ACCENT = '#c8161d'
const GRID = '#e5e6eb'
const TEXT = '#4e5969'

type Ctx = CanvasRenderingContext2D & { setLineDash?: (segments: number[]) => void }

function hline(ctx: Ctx, l: TrendLayout, v: number, color: string, dash: number[]) {
  ctx.beginPath()
  ctx.strokeStyle = color
  ctx.lineWidth = 1
  ctx.setLineDash?.(dash)
  ctx.moveTo(l.left, l.yOf(v))
  ctx.lineTo(l.right, l.yOf(v))
  ctx.stroke()
  ctx.setLineDash?.([])
}

/** Paints the chart: grid 1–5, the 红榜 (4.5) and 黑榜 (3.0) lines, the line with dots, quarter labels. */
export function drawTrend(ctx: CanvasRenderingContext2D, width: number, height: number, series: readonly TrendPoint[], fontSize = 11): TrendLayout {
  const c = ctx as Ctx
  const l = trendLayout(series, width, height, fontSize)
  c.clearRect(0, 0, width, height)
  c.font = `${fontSize}px sans-serif`
  c.textBaseline = 'middle'
  // Grid and y labels.
  for (let v = Y_MIN; v <= Y_MAX; v++) {
    hline(c, l, v, GRID, [])
    c.fillStyle = TEXT
    c.textAlign = 'right'
    c.fillText(String(v), l.left - 6, l.yOf(v))
  }
  hline(c, l, RED_AT, ACCENT, [4, 3])
  hline(c, l, BLACK_BELOW, '#1f2329', [4, 3])
  // The line, broken at quarters without a score.
  c.strokeStyle = ACCENT
  c.lineWidth = 2
  for (const seg of l.segments) {
    c.beginPath()
    seg.forEach((p, i) => (i ? c.lineTo(p.x, p.y) : c.moveTo(p.x, p.y)))
    c.stroke()
  }
  // Dots, values and quarter labels (centred on their point, kept inside the canvas).
  c.textAlign = 'center'
  const inside = (text: string, x: number) => {
    const half = (c.measureText?.(text).width ?? text.length * fontSize * 0.6) / 2
    return Math.min(Math.max(x, half + 2), width - half - 2)
  }
  for (const p of l.points) {
    if (p.y !== null && p.value !== null) {
      c.beginPath()
      c.fillStyle = ACCENT
      c.arc(p.x, p.y, 3.5, 0, Math.PI * 2)
      c.fill()
      if (series.length <= 8) {
        c.fillStyle = '#1f2329'
        c.fillText(p.value.toFixed(2), inside(p.value.toFixed(2), p.x), Math.max(l.top - 4, p.y - Math.round(5 + fontSize / 2)))
      }
    } else {
      c.fillStyle = TEXT
      c.fillText('—', p.x, l.bottom - 8)
    }
    if (p.showLabel) {
      c.fillStyle = TEXT
      c.fillText(p.label, inside(p.label, p.x), l.bottom + Math.round(6 + fontSize * 0.7))
    }
  }
  return l
}
