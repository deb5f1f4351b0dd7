/**
 * The time module's business-date functions compute by arithmetic (src/shared/time.ts): they must
 * answer exactly as the dayjs formulas they replace, for every date and instant, and fall back to
 * them (same answers, same errors) for anything that is not a canonical `YYYY-MM-DD`.
 */
import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import { addDays, atShanghai, businessDate, hhmm, weekday } from '../../src/shared/time'

dayjs.extend(utc)

const ref = {
  businessDate: (t: Date | number) => dayjs(t).utcOffset(480).format('YYYY-MM-DD'),
  weekday: (date: string) => dayjs.utc(`${date}T00:00:00Z`).day(),
  addDays: (date: string, days: number) => dayjs.utc(`${date}T00:00:00Z`).add(days, 'day').format('YYYY-MM-DD'),
  atShanghai: (date: string, minutes: number) => {
    const base = dayjs.utc(`${date}T00:00:00Z`)
    if (!base.isValid() || base.format('YYYY-MM-DD') !== date) throw new RangeError(`无效日期: ${date}`)
    return base.add(minutes - 480, 'minute').toDate()
  },
}

const outcome = (f: () => unknown): unknown => {
  try {
    const v = f()
    return v instanceof Date ? v.getTime() : v
  } catch (e) {
    return `throws ${(e as Error).message}`
  }
}

it('answers as dayjs for dates, instants and day offsets across two centuries', () => {
  let seed = 11
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  }
  const from = Date.UTC(1950, 0, 1)
  for (let k = 0; k < 1500; k++) {
    const t = from + rnd(150 * 365) * 86_400_000 + rnd(86_400_000)
    expect(businessDate(new Date(t))).toBe(ref.businessDate(new Date(t)))
    expect(businessDate(t)).toBe(ref.businessDate(t))
    const date = ref.businessDate(t)
    expect(weekday(date)).toBe(ref.weekday(date))
    const days = rnd(800) - 400
    expect(addDays(date, days)).toBe(ref.addDays(date, days))
    const minutes = rnd(3000) - 600
    expect(atShanghai(date, minutes).getTime()).toBe(ref.atShanghai(date, minutes).getTime())
  }
})

it('falls back to the same answers (and errors) for what is not a canonical date', () => {
  const odd = ['2026-02-30', '2026-13-01', '2026-2-3', '2026-02-03T00:00', '', 'x', '0099-01-01', '2024-02-29', '2023-02-29', '9999-12-31']
  for (const date of odd) {
    expect(outcome(() => weekday(date))).toEqual(outcome(() => ref.weekday(date)))
    expect(outcome(() => addDays(date, 1))).toEqual(outcome(() => ref.addDays(date, 1)))
    expect(outcome(() => atShanghai(date, 90))).toEqual(outcome(() => ref.atShanghai(date, 90)))
  }
  expect(addDays('2026-11-30', 1.5)).toBe(ref.addDays('2026-11-30', 1.5))
  expect(atShanghai('2026-11-30', 30.5).getTime()).toBe(ref.atShanghai('2026-11-30', 30.5).getTime())
  expect(businessDate(new Date(NaN))).toBe(ref.businessDate(new Date(NaN)))
})

it('names every minute of the day as HH:mm, and anything else by the same formula', () => {
  const formula = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
  for (const m of [...Array.from({ length: 24 * 60 + 1 }, (_, i) => i), 1500, -30, 90.5]) expect(hhmm(m)).toBe(formula(m))
})
