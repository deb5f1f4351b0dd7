/**
 * The H5 accessibility mapping (src/components/a11y.ts) and the components the H5 build uses in
 * place of `@tarojs/components` (src/components/h5-a11y-components.tsx and h5-a11y-controls.tsx):
 * WeChat's `aria-role` becomes HTML's `role`, whatever is tappable gets a role, a tab stop and
 * Enter / Space, images get `alt`.
 */
import { fireEvent, render } from '@testing-library/react'
import { Text } from '@tarojs/components'
import { ACTIVATABLE_ROLES, activateOnKey, h5A11yProps, h5ImageProps } from '@/components/a11y'
import { View } from '@/components/h5-a11y-components'
import { Picker } from '@/components/h5-a11y-controls'

const noop = () => undefined

describe('h5A11yProps', () => {
  it('renames aria-role to role and leaves the other props alone', () => {
    const props = { 'aria-role': 'tablist', className: 'tabs', 'aria-label': '类别' }
    expect(h5A11yProps(props)).toEqual({ role: 'tablist', className: 'tabs', 'aria-label': '类别' })
    expect(props).toEqual({ 'aria-role': 'tablist', className: 'tabs', 'aria-label': '类别' }) // not mutated
  })

  it('a tappable element with no role becomes a focusable button that Enter and Space activate', () => {
    const out = h5A11yProps({ onClick: noop, className: 'card' })
    expect(out.role).toBe('button')
    expect(out.tabindex).toBe('0')
    expect(out.onKeyDown).toBe(activateOnKey)
    expect(out).not.toHaveProperty('aria-role')
  })

  it('keeps the role it is given (link, checkbox, tab…) and still makes it focusable', () => {
    for (const role of ['link', 'checkbox', 'radio', 'switch', 'tab']) {
      const out = h5A11yProps({ 'aria-role': role, onClick: noop })
      expect(out.role).toBe(role)
      expect(out.tabindex).toBe('0')
      expect(ACTIVATABLE_ROLES.has(role)).toBe(true)
    }
    expect(h5A11yProps({ role: 'link', onClick: noop }).role).toBe('link')
  })

  it('an activatable role without onClick (a picker’s field) is focusable too; a container role is not', () => {
    expect(h5A11yProps({ 'aria-role': 'button' })).toMatchObject({ role: 'button', tabindex: '0' })
    const group = h5A11yProps({ 'aria-role': 'radiogroup' })
    expect(group.role).toBe('radiogroup')
    expect(group).not.toHaveProperty('tabindex')
    expect(group).not.toHaveProperty('onKeyDown')
  })

  it('leaves an element that is not tappable without a role', () => {
    expect(h5A11yProps({ className: 'plain' })).toEqual({ className: 'plain' })
  })

  it('an aria-hidden element (a mask repeating 关闭) and aria-role="none" get no role and no tab stop', () => {
    const mask = h5A11yProps({ onClick: noop, 'aria-hidden': true })
    expect(mask).not.toHaveProperty('role')
    expect(mask).not.toHaveProperty('tabindex')
    const none = h5A11yProps({ onClick: noop, 'aria-role': 'none' })
    expect(none.role).toBe('none')
    expect(none).not.toHaveProperty('tabindex')
  })

  it('keeps a tab index it is given and runs its own key handler before the activation', () => {
    const calls: string[] = []
    const out = h5A11yProps({ onClick: noop, tabindex: '-1', onKeyDown: () => calls.push('own') })
    expect(out.tabindex).toBe('-1')
    const el = { click: () => calls.push('click') }
    ;(out.onKeyDown as (e: unknown) => void)({ key: 'Enter', target: el, currentTarget: el, preventDefault: noop })
    expect(calls).toEqual(['own', 'click'])
  })
})

describe('activateOnKey', () => {
  const press = (key: string, onChild = false) => {
    const el = { click: jest.fn() }
    const e = { key, target: onChild ? {} : el, currentTarget: el, preventDefault: jest.fn() }
    activateOnKey(e)
    return { click: el.click, preventDefault: e.preventDefault }
  }

  it('Enter and Space tap the element (and Space does not scroll the page)', () => {
    for (const key of ['Enter', ' ']) {
      const { click, preventDefault } = press(key)
      expect(click).toHaveBeenCalledTimes(1)
      expect(preventDefault).toHaveBeenCalledTimes(1)
    }
  })

  it('other keys, and keys meant for a control inside, do nothing', () => {
    expect(press('Tab').click).not.toHaveBeenCalled()
    expect(press('a').click).not.toHaveBeenCalled()
    expect(press('Enter', true).click).not.toHaveBeenCalled()
  })
})

describe('h5ImageProps', () => {
  it('gives the picture its label as alt text', () => {
    const out = h5ImageProps({ src: 'a.png', 'aria-label': '多功能活动室照片' })
    expect(out.nativeProps).toEqual({ alt: '多功能活动室照片' })
    expect(out).not.toHaveProperty('aria-label')
    expect(out).not.toHaveProperty('role')
  })

  it('a tappable picture is a button named by its label, with the same alt', () => {
    const out = h5ImageProps({ src: 'a.png', 'aria-label': '照片 1，点按查看大图', onClick: noop })
    expect(out).toMatchObject({ role: 'button', tabindex: '0', 'aria-label': '照片 1，点按查看大图', nativeProps: { alt: '照片 1，点按查看大图' } })
  })

  it('leaves a picture without a label without alt (so the accessibility sweep finds it)', () => {
    expect(h5ImageProps({ src: 'a.png' })).not.toHaveProperty('nativeProps')
  })
})

describe('the H5 components', () => {
  it('a View with onClick is a button in the DOM: role, tab stop, no aria-role; Enter and Space tap it', () => {
    const onClick = jest.fn()
    const { container } = render(
      <View className='go' onClick={onClick}>
        <Text>去走访</Text>
      </View>,
    )
    const el = container.querySelector('.go')!
    expect(el.getAttribute('role')).toBe('button')
    expect(el.getAttribute('tabindex')).toBe('0')
    expect(el.hasAttribute('aria-role')).toBe(false)
    fireEvent.keyDown(el, { key: 'Enter' })
    fireEvent.keyDown(el, { key: ' ' })
    expect(onClick).toHaveBeenCalledTimes(2)
    fireEvent.click(el)
    expect(onClick).toHaveBeenCalledTimes(3)
  })

  it('WeChat’s aria-role arrives as role', () => {
    const { container } = render(
      <View className='tabs' aria-role='tablist'>
        <View className='tab' aria-role='tab' aria-selected onClick={noop}>
          <Text>红榜</Text>
        </View>
      </View>,
    )
    expect(container.querySelector('.tabs')!.getAttribute('role')).toBe('tablist')
    expect(container.querySelector('.tabs')!.hasAttribute('aria-role')).toBe(false)
    expect(container.querySelector('.tab')!.getAttribute('role')).toBe('tab')
  })

  it('a Picker’s field is the button (the picker’s pop-up stays outside any role)', () => {
    const { container } = render(
      <Picker mode='selector' range={['1栋', '2栋']} value={0} onChange={noop}>
        <View className='ui-picker building-picker'>
          <Text>1栋</Text>
        </View>
      </Picker>,
    )
    const field = container.querySelector('.building-picker')!
    expect(field.getAttribute('role')).toBe('button')
    expect(field.getAttribute('tabindex')).toBe('0')
    expect(container.querySelector('taro-picker-core')!.hasAttribute('role')).toBe(false)
  })
})
