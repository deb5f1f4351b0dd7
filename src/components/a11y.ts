/**
 * Accessibility props for the H5 build (无障碍).
 *
 * Pages are written once for WeChat, whose components take the role as `aria-role` (a WeChat
 * attribute: HTML has none of that name) and know a tap only as `onClick`. In a browser that
 * leaves a tappable View a plain element: no role, not reachable by Tab, deaf to Enter. The H5
 * build therefore sends every View, Text, Image, Button and Picker through `h5A11yProps` (see
 * `h5-components.tsx`, put in place of `@tarojs/components` by the H5 webpack alias in
 * config/index.ts), so the pages keep writing WeChat's props and the browser gets:
 * - `role` for `aria-role`;
 * - `role="button"` for an element with `onClick` and no role of its own;
 * - for an element with an activatable role (button, link, checkbox, radio, switch, tab…):
 *   `tabindex="0"` and Enter / Space doing what a tap does (the element's own click);
 * - nothing for an element marked `aria-hidden` (a sheet's mask, which only repeats 关闭).
 * `aria-role="none"` (or "presentation") opts an element with `onClick` out (a wrapper that only
 * stops a tap from reaching the row under it).
 */

/** Roles a person activates: they get keyboard focus and Enter / Space. */
export const ACTIVATABLE_ROLES: ReadonlySet<string> = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option'])

type Props = Record<string, unknown>

interface KeyEventLike {
  key: string
  target: unknown
  currentTarget: unknown
  preventDefault(): void
}

/**
 * Enter or Space on a focused element taps it: its own click event, the same one a tap
 * dispatches, so the page's onClick runs unchanged. A key pressed on something focusable inside
 * (a button in a row) belongs to that element, not to the row.
 */
export function activateOnKey(e: KeyEventLike): void {
  if (e.key !== 'Enter' && e.key !== ' ' && e.key !== 'Spacebar') return
  if (e.target !== e.currentTarget) return
  const el = e.currentTarget as { click?: () => void } | null
  if (!el || typeof el.click !== 'function') return
  e.preventDefault() // Space would scroll the page
  el.click()
}

const isTrue = (v: unknown): boolean => v === true || v === 'true'

/** WeChat's props → the browser's (see the file comment). Returns a new object; `props` is untouched. */
export function h5A11yProps(props: Props): Props {
  const { 'aria-role': ariaRole, ...out } = props
  const explicit = typeof out.role === 'string' ? out.role : typeof ariaRole === 'string' ? ariaRole : undefined
  const hidden = isTrue(out['aria-hidden'])
  const clickable = typeof out.onClick === 'function'
  const role = explicit ?? (clickable && !hidden ? 'button' : undefined)
  if (role) out.role = role
  if (role && ACTIVATABLE_ROLES.has(role) && !hidden) {
    if (out.tabindex === undefined && out.tabIndex === undefined) out.tabindex = '0'
    const own = out.onKeyDown
    out.onKeyDown =
      typeof own === 'function'
        ? (e: KeyEventLike) => {
            ;(own as (e: KeyEventLike) => void)(e)
            activateOnKey(e)
          }
        : activateOnKey
  }
  return out
}

/**
 * An Image: its `aria-label` (what WeChat reads) becomes the picture's `alt` in the browser.
 * Taro's H5 Image draws an <img> inside its own element and passes `nativeProps` to it. A
 * tappable image keeps the label on itself too (it is the button's name).
 */
export function h5ImageProps(props: Props): Props {
  const out = h5A11yProps(props)
  const label = out['aria-label']
  if (typeof label === 'string') {
    const native = (out.nativeProps as Props | undefined) ?? {}
    out.nativeProps = { alt: label, ...native }
    if (!out.role) delete out['aria-label']
  }
  return out
}
