import Taro from '@tarojs/taro'
import { elderClassNames, initialElder, readSystemFontScale } from '@/components/elder'

describe('长辈模式 rules', () => {
  it('the resident’s stored choice wins over WeChat’s font size', () => {
    expect(initialElder(null, 1)).toBe(false)
    expect(initialElder(null, 1.2)).toBe(true)
    expect(initialElder(false, 1.5)).toBe(false)
    expect(initialElder(true, 1)).toBe(true)
  })

  it('a very large system font adds the extra-large step', () => {
    expect(elderClassNames(false, 2)).toBe('')
    expect(elderClassNames(true, 1)).toBe('elder')
    expect(elderClassNames(true, 1.5)).toBe('elder elder-xl')
  })

  it('reads fontSizeScaleFactor, or derives it from fontSizeSetting', () => {
    const api = Taro as unknown as Record<string, unknown>
    const saved = api.getAppBaseInfo
    try {
      api.getAppBaseInfo = () => ({ fontSizeScaleFactor: 1.3 })
      expect(readSystemFontScale()).toBe(1.3)
      api.getAppBaseInfo = () => ({ fontSizeSetting: 22 })
      expect(readSystemFontScale()).toBeCloseTo(22 / 17)
      api.getAppBaseInfo = () => ({})
      expect(readSystemFontScale()).toBe(1)
      api.getAppBaseInfo = () => {
        throw new Error('not supported')
      }
      expect(readSystemFontScale()).toBe(1)
    } finally {
      api.getAppBaseInfo = saved
    }
  })
})
