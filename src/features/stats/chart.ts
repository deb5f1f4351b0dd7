/**
 * The statistics page's charts, laid out as plain numbers (no chart library, no canvas): bars are
 * Views whose width is a share of the largest value (or of a fixed scale: 100 % for rates, 5 for
 * scores); a line is dots and segments — Views placed in px and turned by their angle — over a
 * plot whose size is known when it is drawn. The same markup renders in weapp and H5, and tests
 * check where things land without a screen.
 */

export interface BarDatum {
  key: string
  label: string
  value: number
  /** The value as shown beside the bar (`12 件`, `85.5%`). */
  text: string
  /** A line under the bar (the other figures of the row). */
  note?: string
}

export interface BarItem extends BarDatum {
  /** The bar's length, 0–100 (% of the track). */
  percent: number
}

/** Each bar's share of `max` (default: the largest value; a scale given for rates and scores). */
export function barLayout(data: readonly BarDatum[], max?: number): BarItem[] {
  const top = max ?? Math.max(0, ...data.map((d) => d.value))
  return data.map((d) => ({ ...d, percent: top > 0 ? Math.max(0, Math.min(100, Math.round((d.value / top) * 1000) / 10)) : 0 }))
}

/** Nothing to draw: no rows, or every value zero. */
export const nothingToDraw = (data: ReadonlyArray<{ value: number | null }>): boolean => data.every((d) => !d.value)

export interface LinePoint {
  key: string
  label: string
  /** null: no value there (a gap in the line). */
  value: number | null
}

export interface LineLayout {
  width: number
  height: number
  /** The plot area in px. */
  left: number
  right: number
  top: number
  bottom: number
  points: Array<{ key: string; label: string; value: number | null; x: number; y: number | null; showLabel: boolean }>
  /** Each joins two consecutive points with values: where it starts, how long, turned by `angle` degrees. */
  segments: Array<{ key: string; x: number; y: number; length: number; angle: number }>
  /** Horizontal guides: 0, half and the whole scale. */
  guides: Array<{ y: number; label: string }>
}

export const LINE_MARGIN = { left: 34, right: 10, top: 10, bottom: 24 }

/** The line of `points` on a `width` × `height` px plot, values from 0 to `max`. */
export function lineLayout(points: readonly LinePoint[], width: number, height: number, max: number, unit = ''): LineLayout {
  const left = LINE_MARGIN.left
  const right = width - LINE_MARGIN.right
  const top = LINE_MARGIN.top
  const bottom = height - LINE_MARGIN.bottom
  const scale = max > 0 ? max : 1
  const yOf = (v: number) => bottom - (Math.max(0, Math.min(scale, v)) / scale) * (bottom - top)
  const n = points.length
  const step = n > 1 ? (right - left) / (n - 1) : 0
  // A label needs ~34 px: with many points, label every k-th (and always the last).
  const every = Math.max(1, Math.ceil(34 / Math.max(step, 1)))
  const laid = points.map((p, i) => ({
    ...p,
    x: n > 1 ? left + i * step : (left + right) / 2,
    y: p.value === null ? null : yOf(p.value),
    showLabel: n === 1 || i === n - 1 || (i % every === 0 && n - 1 - i >= every),
  }))
  const segments: LineLayout['segments'] = []
  for (let i = 1; i < laid.length; i++) {
    const a = laid[i - 1]
    const b = laid[i]
    if (a.y === null || b.y === null) continue
    const dx = b.x - a.x
    const dy = b.y - a.y
    segments.push({ key: `${a.key}-${b.key}`, x: a.x, y: a.y, length: Math.sqrt(dx * dx + dy * dy), angle: (Math.atan2(dy, dx) * 180) / Math.PI })
  }
  const fmt = (v: number) => `${Math.round(v * 10) / 10}${unit}`
  const guides = [0, scale / 2, scale].map((v) => ({ y: yOf(v), label: fmt(v) }))
  return { width, height, left, right, top, bottom, points: laid, segments, guides }
}

/** A scale a little above the largest value, rounded to a readable number (for a line of rates: at most 100). */
export function niceMax(values: ReadonlyArray<number | null>, cap?: number): number {
  const top = Math.max(0, ...values.map((v) => v ?? 0))
  if (top === 0) return cap ?? 1
  const magnitude = 10 ** Math.floor(Math.log10(top))
  const nice = [1, 2, 2.5, 5, 10].map((k) => k * magnitude).find((k) => k >= top) ?? 10 * magnitude
  return cap === undefined ? nice : Math.min(cap, nice)
}
