/** Reading and driving rendered pages in the components tests (jsdom + Taro's H5 components). */
import { act, fireEvent, waitFor, type RenderResult } from '@testing-library/react'

export const q = (r: RenderResult, selector: string) => r.container.querySelector(selector)
export const qa = (r: RenderResult, selector: string) => Array.from(r.container.querySelectorAll(selector))
export const text = (el: Element | null) => (el?.textContent ?? '').trim()

/** Waits for an element to be rendered (Taro's Input/Textarea render their inner element late). */
export function rendered(r: RenderResult, selector: string): Promise<Element> {
  return waitFor(() => {
    const found = q(r, selector)
    if (!found) throw new Error(`${selector} not rendered yet`)
    return found
  })
}

/** Waits for the element, then types `value` into it. */
export async function typeInto(r: RenderResult, selector: string, value: string): Promise<void> {
  fireEvent.input(await rendered(r, selector), { target: { value } })
}

/** Waits for the element, then taps it and lets React finish what the tap started. */
export async function tap(r: RenderResult, selector: string): Promise<void> {
  const el = await rendered(r, selector)
  await act(async () => {
    fireEvent.click(el)
  })
}

/** What `Taro.chooseMedia` answers when these photos were picked: `jest.spyOn(Taro, 'chooseMedia').mockResolvedValueOnce(picked('blob:a'))`. */
export const picked = (...paths: string[]) => ({
  tempFiles: paths.map((tempFilePath) => ({ tempFilePath, size: 1024, duration: 0, height: 0, width: 0, thumbTempFilePath: '', fileType: 'image' })),
  type: 'image',
  errMsg: 'chooseMedia:ok',
})

/**
 * What the page scrolled into view (jsdom has no layout and no `scrollIntoView`): installs a
 * recording one for the test; `restore()` takes it away again.
 */
export function watchScrolls(): { targets: Element[]; restore: () => void } {
  const targets: Element[] = []
  const proto = Element.prototype as { scrollIntoView?: unknown }
  const before = proto.scrollIntoView
  proto.scrollIntoView = function (this: Element) {
    targets.push(this)
  }
  return {
    targets,
    restore: () => {
      proto.scrollIntoView = before
    },
  }
}
