/**
 * The check-in QR drawn on a 2d canvas with `qrcode-generator` (≈ 21 KB; no component library):
 * dark modules as rectangles on white, with the quiet zone scanners need.
 */
import qrcode from 'qrcode-generator'

/** The QR's modules (true = dark) for a text, error correction M (a screen may glare). */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const n = qr.getModuleCount()
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)))
}

/** Draws `text` as a QR filling a `size` × `size` square (CSS px) at the origin. */
export function drawQr(ctx: CanvasRenderingContext2D, text: string, size: number): void {
  const modules = qrModules(text)
  const quiet = 4
  // Whole pixels per module (no seams between modules), centred in the square.
  const cell = Math.max(1, Math.floor(size / (modules.length + quiet * 2)))
  const offset = Math.floor((size - cell * modules.length) / 2)
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, size, size)
  ctx.fillStyle = '#000000'
  modules.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (dark) ctx.fillRect(offset + c * cell, offset + r * cell, cell, cell)
    }),
  )
}
