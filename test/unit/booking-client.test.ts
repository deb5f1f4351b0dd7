/** Pure client helpers of the booking pages: slot selection and the check-in barcode. */
import { code128cValues, code128cWidths } from '../../src/features/booking/barcode'
import { firstShownSlot, selectionText, shiftDate, tapSlot, todayShanghai, weekTitle, type Selection } from '../../src/features/booking/format'
import { keepParts } from '../../src/components/Keep/parts'
import type { DayOutT } from '../../src/shared/api/booking'

const day: DayOutT = {
  date: '2026-11-24',
  weekday: '周二',
  label: '明天',
  closed: false,
  note: null,
  freeCount: 5,
  slots: [
    { id: '09:00', end: '09:30', state: 'free' },
    { id: '09:30', end: '10:00', state: 'free' },
    { id: '10:00', end: '10:30', state: 'free' },
    { id: '10:30', end: '11:00', state: 'taken' },
    { id: '11:00', end: '11:30', state: 'free' },
    { id: '11:30', end: '12:00', state: 'free' },
  ],
}

describe('selecting consecutive slots', () => {
  it('first tap selects one slot, a later free slot extends, the last selected slot shortens', () => {
    let sel: Selection | null = tapSlot(day, null, 0, 8).selection
    expect(sel).toEqual({ date: '2026-11-24', from: 0, to: 0 })
    sel = tapSlot(day, sel, 2, 8).selection
    expect(sel).toEqual({ date: '2026-11-24', from: 0, to: 2 })
    expect(selectionText(day, sel, 30)).toBe('明天 09:00–10:30（1 小时 30 分钟）')
    sel = tapSlot(day, sel, 2, 8).selection
    expect(sel).toEqual({ date: '2026-11-24', from: 0, to: 1 })
    sel = tapSlot(day, sel, 0, 8).selection
    expect(sel).toEqual({ date: '2026-11-24', from: 0, to: 0 })
    expect(tapSlot(day, sel, 0, 8).selection).toBeNull()
  })

  it('never spans a taken slot or more than the maximum, and explains taps on unavailable slots', () => {
    const across = tapSlot(day, { date: day.date, from: 0, to: 1 }, 4, 8)
    expect(across).toEqual({ selection: { date: day.date, from: 4, to: 4 }, notice: '中间有不可预约的时段，已重新选择' })
    const tooLong = tapSlot(day, { date: day.date, from: 0, to: 0 }, 2, 2)
    expect(tooLong.notice).toBe('每次最多选择 2 个时段，已重新选择')
    expect(tapSlot(day, null, 3, 8)).toEqual({ selection: null, notice: '该时段已被预约' })
  })
})

describe('the check-in barcode (Code 128 C)', () => {
  it('encodes 6 digits as start C, three pairs, the checksum and stop', () => {
    expect(code128cValues('123456')).toEqual([105, 12, 34, 56, 44, 106])
    const widths = code128cWidths('123456')
    expect(widths).toHaveLength(6 * 5 + 7)
    expect(widths.reduce((a, b) => a + b, 0)).toBe(11 * 5 + 13)
    expect(() => code128cValues('12345')).toThrow(RangeError)
  })
})

describe('dates', () => {
  it('today in Shanghai and date arithmetic', () => {
    expect(todayShanghai(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24')
    expect(shiftDate('2026-11-30', 1)).toBe('2026-12-01')
    expect(shiftDate('2026-11-23', -7)).toBe('2026-11-16')
  })
})

describe('text that must not break', () => {
  it('keeps times, ranges and dates whole and leaves the rest to wrap', () => {
    expect(keepParts('开放时间：周一至周五 8:00–12:00；周六 14:00-17:30')).toEqual([
      { text: '开放时间：周一至周五 ', keep: false },
      { text: '8:00–12:00', keep: true },
      { text: '；周六 ', keep: false },
      { text: '14:00-17:30', keep: true },
    ])
    expect(keepParts('11月24日 周二 09:00–10:00').filter((p) => p.keep).map((p) => p.text)).toEqual(['11月24日', '09:00–10:00'])
    expect(keepParts('党群服务中心二楼 201')).toEqual([{ text: '党群服务中心二楼 201', keep: false }])
    expect(keepParts('张伟将在 12月1日 08:31 前受理').filter((p) => p.keep).map((p) => p.text)).toEqual(['12月1日 08:31'])
  })
})

describe('the calendar and the slot grid', () => {
  it('a week title fits one line: the month once when the week stays in it', () => {
    expect(weekTitle('2026-11-23', '2026-11-29')).toBe('11月23日–29日')
    expect(weekTitle('2026-11-30', '2026-12-06')).toBe('11月30日–12月6日')
  })

  it('the grid starts at the first slot that is not 已过', () => {
    expect(firstShownSlot([{ state: 'past' }, { state: 'past' }, { state: 'taken' }, { state: 'free' }])).toBe(2)
    expect(firstShownSlot([{ state: 'free' }, { state: 'past' }])).toBe(0)
    expect(firstShownSlot([{ state: 'past' }])).toBe(1)
  })
})
