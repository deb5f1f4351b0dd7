/**
 * The production adapter's subscribe message (platform/wx notify.subscribe) with wx-server-sdk
 * replaced by a recorder: the template id from `TPL_<KEY>`, the data mapped by `TPL_<KEY>_FIELDS`,
 * and WeChat's refusal answered with its errcode instead of thrown.
 */
import type { SubscribeMessage } from '../../cloudfunctions/src/platform/port'

const mockSent: unknown[] = []
let mockRefusal: unknown = null

jest.mock('wx-server-sdk', () => ({
  __esModule: true,
  default: {
    init: () => undefined,
    DYNAMIC_CURRENT_ENV: Symbol('env'),
    database: () => ({}),
    getWXContext: () => ({}),
    openapi: {
      subscribeMessage: {
        send: async (args: unknown) => {
          if (mockRefusal) throw mockRefusal
          mockSent.push(args)
          return {}
        },
      },
    },
  },
}))

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mock, with the env of each test
const { wxPlatform } = require('../../cloudfunctions/src/platform/wx') as typeof import('../../cloudfunctions/src/platform/wx')

const AT = new Date('2026-11-23T02:05:00Z')
const msg: SubscribeMessage = {
  touser: 'o-staff',
  template: 'booking_new',
  page: '/packages/booking/pages/detail/index?id=b1',
  fields: { room: '多功能活动室', start: AT, purpose: '书法兴趣小组例会', status: '待审核' },
}
const ENV = ['TPL_BOOKING_NEW', 'TPL_BOOKING_NEW_FIELDS', 'MINIPROGRAM_STATE']

beforeEach(() => {
  mockSent.length = 0
  mockRefusal = null
  for (const k of ENV) delete process.env[k]
})
afterAll(() => {
  for (const k of ENV) delete process.env[k]
})

const platform = () => wxPlatform()

it('skips a template without an id: nothing is sent', async () => {
  expect(await platform().notify.subscribe(msg)).toEqual({ outcome: 'skipped', reason: 'no template id configured for booking_new' })
  expect(mockSent).toEqual([])
})

it('sends the declared default keys when TPL_<KEY>_FIELDS is empty', async () => {
  process.env.TPL_BOOKING_NEW = 'tpl-booking-new'
  process.env.TPL_BOOKING_NEW_FIELDS = ''
  expect(await platform().notify.subscribe(msg)).toEqual({ outcome: 'sent' })
  expect(mockSent).toEqual([
    {
      touser: 'o-staff',
      templateId: 'tpl-booking-new',
      page: '/packages/booking/pages/detail/index?id=b1',
      data: { thing1: { value: '多功能活动室' }, time2: { value: '2026年11月23日 10:05' }, thing3: { value: '书法兴趣小组例会' }, phrase4: { value: '待审核' } },
      miniprogramState: 'formal',
    },
  ])
})

it('sends the keys TPL_<KEY>_FIELDS names, and only those', async () => {
  process.env.TPL_BOOKING_NEW = 'tpl-booking-new'
  process.env.TPL_BOOKING_NEW_FIELDS = 'room:thing6,start:date3,status:phrase1'
  await platform().notify.subscribe(msg)
  expect(mockSent).toEqual([expect.objectContaining({ data: { thing6: { value: '多功能活动室' }, date3: { value: '2026年11月23日 10:05' }, phrase1: { value: '待审核' } } })])
})

it('answers WeChat’s refusal with its errcode, never throws', async () => {
  process.env.TPL_BOOKING_NEW = 'tpl-booking-new'
  mockRefusal = Object.assign(new Error('errCode: 43101 | errMsg: openapi.subscribeMessage.send:fail user refuse to accept the msg'), { errCode: 43101 })
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
  try {
    await expect(platform().notify.subscribe(msg)).resolves.toEqual({ outcome: 'refused', errCode: 43101, reason: expect.stringContaining('43101') })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"errCode":43101'))
  } finally {
    warn.mockRestore()
  }
})
