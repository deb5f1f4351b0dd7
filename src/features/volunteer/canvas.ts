/**
 * A `<Canvas type='2d'>` on the page, in weapp and H5 alike: find its node, size its backing
 * store to the screen's pixel ratio, and save what was drawn as an image.
 *
 * weapp: a selector query for the node, with the size from `fields({ size })` or, failing that,
 * a separate `boundingClientRect()` (on Taro 4.2.1 H5 `fields({ node: true, size: true })` returns
 * no size at all). H5 reads the element from the DOM instead: Taro's H5 query answers only inside
 * a routed page and throws, out of reach of a try, anywhere else (a test, a page not yet shown).
 */
import Taro from '@tarojs/taro'

/** What both platforms' canvas nodes offer (weapp's Canvas, H5's HTMLCanvasElement). */
export interface CanvasNode {
  width: number
  height: number
  getContext(type: '2d'): CanvasRenderingContext2D | null
  toDataURL?: (type?: string) => string
}

export interface Canvas2d {
  node: CanvasNode
  ctx: CanvasRenderingContext2D
  /** The drawing area in CSS px (the context is scaled: draw in these units). */
  width: number
  height: number
}

const isWeapp = process.env.TARO_ENV === 'weapp'

function pixelRatio(): number {
  try {
    if (!isWeapp) return typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1
    const api = Taro as unknown as { getWindowInfo?: () => { pixelRatio?: number } }
    return (api.getWindowInfo ?? Taro.getSystemInfoSync)().pixelRatio || 2
  } catch {
    return 2
  }
}

interface NodeAnswer {
  node?: CanvasNode | null
  width?: number
  height?: number
}

function queryOnce(selector: string): Promise<{ node: CanvasNode; width: number; height: number } | null> {
  if (!isWeapp) {
    // H5: Taro's <Canvas> is a custom element around a real <canvas>; read both from the DOM.
    const host = typeof document !== 'undefined' ? document.querySelector(selector) : null
    const node = host?.querySelector('canvas') as unknown as CanvasNode | null
    const rect = host?.getBoundingClientRect()
    return Promise.resolve(node && rect && rect.width > 0 && rect.height > 0 ? { node, width: rect.width, height: rect.height } : null)
  }
  return new Promise((resolve) => {
    try {
      const q = Taro.createSelectorQuery()
      q.select(selector).fields({ node: true, size: true })
      q.select(selector).boundingClientRect()
      q.exec((res: unknown[] | null) => {
        const found = (res?.[0] ?? null) as NodeAnswer | null
        const rect = (res?.[1] ?? null) as { width?: number; height?: number } | null
        const width = found?.width || rect?.width || 0
        const height = found?.height || rect?.height || 0
        resolve(found?.node && width > 0 && height > 0 ? { node: found.node, width, height } : null)
      })
    } catch {
      resolve(null)
    }
  })
}

const nextFrame = () => new Promise<void>((resolve) => Taro.nextTick(() => setTimeout(resolve, 16)))

/**
 * The canvas matching `selector` (an id: `#vol-qr`), ready to draw on in CSS px; null when the
 * platform has none (tests, an old client). It may render a frame after the data that shows it:
 * asked again a few frames before giving up.
 */
export async function getCanvas2d(selector: string, attempts = 20): Promise<Canvas2d | null> {
  for (let i = 0; i < attempts; i++) {
    const found = await queryOnce(selector)
    if (found) {
      const dpr = pixelRatio()
      found.node.width = Math.round(found.width * dpr)
      found.node.height = Math.round(found.height * dpr)
      const ctx = found.node.getContext('2d')
      if (!ctx) return null
      ctx.setTransform(1, 0, 0, 1, 0, 0)
      ctx.scale(dpr, dpr)
      return { node: found.node, ctx, width: found.width, height: found.height }
    }
    await nextFrame()
  }
  return null
}

/** weapp: the canvas as a temporary PNG file (for saving to the album or sharing). */
export async function canvasToFile(node: CanvasNode): Promise<string> {
  const res = await Taro.canvasToTempFilePath({ canvas: node as unknown as Taro.Canvas, fileType: 'png' } as Taro.canvasToTempFilePath.Option)
  return res.tempFilePath
}

export type SaveResult = 'saved' | 'downloaded' | 'denied' | 'cancelled' | 'failed'

/**
 * Saves the drawing: weapp → the photo album (asking for the permission WeChat requires; a
 * refusal once given must be undone in 设置, so the person is told where); H5 → a PNG download.
 */
export async function saveCanvasImage(c: Canvas2d, fileName: string): Promise<SaveResult> {
  if (!isWeapp) {
    if (!c.node.toDataURL || typeof document === 'undefined') return 'failed'
    const a = document.createElement('a')
    a.href = c.node.toDataURL('image/png')
    a.download = fileName
    document.body.appendChild(a)
    a.click()
    a.remove()
    return 'downloaded'
  }
  try {
    const filePath = await canvasToFile(c.node)
    await Taro.saveImageToPhotosAlbum({ filePath })
    return 'saved'
  } catch (e) {
    const msg = e instanceof Error ? e.message : String((e as { errMsg?: string })?.errMsg ?? '')
    if (/auth|deny|denied/i.test(msg)) return 'denied'
    if (/cancel/i.test(msg)) return 'cancelled'
    return 'failed'
  }
}

/** weapp: WeChat's own share sheet for an image (send to a friend, save, favourite). */
export async function shareCanvasImage(c: Canvas2d): Promise<boolean> {
  if (!isWeapp) return false
  const api = Taro as unknown as { showShareImageMenu?: (o: { path: string }) => Promise<unknown> }
  if (typeof api.showShareImageMenu !== 'function') return false
  try {
    await api.showShareImageMenu({ path: await canvasToFile(c.node) })
    return true
  } catch {
    return false
  }
}
