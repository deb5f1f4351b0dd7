#!/usr/bin/env node
/**
 * Draws the tab-bar icons (81 × 81 PNG, grey and red-accent selected) into src/assets/tab/
 * with Node built-ins only. Shapes are described as inside-tests in a unit square and
 * anti-aliased by 4 × 4 supersampling. Run: node scripts/gen-tab-icons.mjs
 */
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SIZE = 81
const SS = 4
const GREY = [0x6b, 0x72, 0x7c]
const RED = [0xc8, 0x16, 0x1d]
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'assets', 'tab')

// ---- geometry helpers (unit square, y down) ----
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const inEllipse = (x, y, cx, cy, rx, ry) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (!inRect(x, y, x0, y0, x1, y1)) return false
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return inCircle(x, y, cx, cy, r)
}
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry)
  const d1 = s(x, y, ax, ay, bx, by)
  const d2 = s(x, y, bx, by, cx, cy)
  const d3 = s(x, y, cx, cy, ax, ay)
  const neg = d1 < 0 || d2 < 0 || d3 < 0
  const pos = d1 > 0 || d2 > 0 || d3 > 0
  return !(neg && pos)
}

const SHAPES = {
  home: (x, y) =>
    (inTriangle(x, y, [0.5, 0.1], [0.08, 0.5], [0.92, 0.5]) || inRect(x, y, 0.2, 0.44, 0.8, 0.88)) &&
    !inRoundRect(x, y, 0.42, 0.6, 0.58, 0.9, 0.04),
  services: (x, y) =>
    inRoundRect(x, y, 0.12, 0.12, 0.45, 0.45, 0.08) ||
    inRoundRect(x, y, 0.55, 0.12, 0.88, 0.45, 0.08) ||
    inRoundRect(x, y, 0.12, 0.55, 0.45, 0.88, 0.08) ||
    inCircle(x, y, 0.715, 0.715, 0.17),
  messages: (x, y) =>
    (inRoundRect(x, y, 0.1, 0.16, 0.9, 0.72, 0.14) || inTriangle(x, y, [0.26, 0.68], [0.46, 0.68], [0.22, 0.88])) &&
    !inCircle(x, y, 0.32, 0.44, 0.055) &&
    !inCircle(x, y, 0.5, 0.44, 0.055) &&
    !inCircle(x, y, 0.68, 0.44, 0.055),
  mine: (x, y) => inCircle(x, y, 0.5, 0.3, 0.18) || (inEllipse(x, y, 0.5, 0.92, 0.36, 0.36) && y <= 0.88),
}

// ---- PNG encoding ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
function png(width, height, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0 // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function draw(shape, [r, g, b]) {
  const rgba = Buffer.alloc(SIZE * SIZE * 4)
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let hits = 0
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          if (shape((px + (sx + 0.5) / SS) / SIZE, (py + (sy + 0.5) / SS) / SIZE)) hits++
        }
      }
      const i = (py * SIZE + px) * 4
      rgba[i] = r
      rgba[i + 1] = g
      rgba[i + 2] = b
      rgba[i + 3] = Math.round((255 * hits) / (SS * SS))
    }
  }
  return png(SIZE, SIZE, rgba)
}

mkdirSync(OUT, { recursive: true })
for (const [name, shape] of Object.entries(SHAPES)) {
  writeFileSync(join(OUT, `${name}.png`), draw(shape, GREY))
  writeFileSync(join(OUT, `${name}-active.png`), draw(shape, RED))
}
console.log(`wrote ${Object.keys(SHAPES).length * 2} icons to ${OUT}`)
