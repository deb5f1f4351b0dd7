/**
 * Subscribe messages: our fields → each template's keys (platform/subscribe-fields.ts), by the
 * declared defaults and by a deployment's `TPL_<KEY>_FIELDS`, with every value fitted to the rules
 * of WeChat's subscribeMessage.send (a value outside them is refused with 47003).
 */
import { defaultFieldMap, keyType, parseFieldMap, sendFailure, templateData, wxValue, type TemplateData } from '../../cloudfunctions/src/platform/subscribe-fields'
import { SUBSCRIBE_TEMPLATES, templateFieldsEnv, type TemplateFields, type TemplateKey } from '../../cloudfunctions/src/platform/templates'

/** 2026-11-23 10:05 in Shanghai. */
const AT = new Date('2026-11-23T02:05:00Z')

/**
 * WeChat's value rules per key type (subscribeMessage.send, 订阅消息参数值内容限制说明), written
 * out here independently of the code under test.
 */
function validFor(wxKey: string, value: string): boolean {
  const type = /^([a-z_]+?)\d+$/.exec(wxKey)?.[1]
  const n = [...value].length
  if (n === 0) return false
  switch (type) {
    case 'thing':
      return n <= 20
    case 'phrase':
      return n <= 5 && /^\p{Script=Han}+$/u.test(value)
    case 'time':
      return /^(\d{4}年\d{1,2}月\d{1,2}日 )?\d{2}:\d{2}$/.test(value)
    case 'date':
      return /^\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?$/.test(value)
    case 'number':
      return n <= 32 && /^-?\d+(\.\d+)?$/.test(value)
    case 'character_string':
      return n <= 32 && /^[\x21-\x7e]+$/.test(value)
    case 'letter':
      return n <= 32 && /^[A-Za-z]+$/.test(value)
    case 'symbol':
      return n <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(value)
    case 'name':
      return /\p{Script=Han}/u.test(value) ? n <= 10 && /^\p{Script=Han}+$/u.test(value) : n <= 20
    case 'phone_number':
      return n <= 17 && /^[\d+\-()]+$/.test(value)
    default:
      throw new Error(`no rule for ${wxKey}`)
  }
}

const expectValid = (data: TemplateData) => {
  for (const [k, { value }] of Object.entries(data)) expect({ key: k, value, valid: validFor(k, value) }).toEqual({ key: k, value, valid: true })
}

/**
 * One message per template as a handler sends it (typed: an undeclared field would not compile),
 * long enough to need trimming, and what the default mapping sends.
 */
const CASES: { [K in TemplateKey]: { fields: TemplateFields<K>; data: Record<string, string> } } = {
  case_new: {
    fields: { subject: '噪音扰民纠纷', time: AT, note: '待受理' },
    data: { thing1: '噪音扰民纠纷', time2: '2026年11月23日 10:05', thing3: '待受理' },
  },
  case_progress: {
    fields: { subject: '漏水纠纷', status: '已受理 (调解中)', note: '王调解员已受理，将在 11月24日 10:00 前办结，请保持电话畅通' },
    data: { thing1: '漏水纠纷', phrase2: '已受理调解', thing3: '王调解员已受理，将在 11月24日 1…' },
  },
  case_overdue: {
    fields: { subject: '违章搭建上报事项', due: AT, note: '请督办' },
    data: { thing1: '违章搭建上报事项', time2: '2026年11月23日 10:05', thing3: '请督办' },
  },
  booking_new: {
    fields: { room: '多功能活动室', start: AT, purpose: '社区书法兴趣小组每周例会及作品点评交流活动', status: '待审核' },
    data: { thing1: '多功能活动室', time2: '2026年11月23日 10:05', thing3: '社区书法兴趣小组每周例会及作品点评交流…', phrase4: '待审核' },
  },
  booking_result: {
    fields: { room: '议事会议室', start: AT, status: '已确认', note: '请按时到场，签到时出示核销码' },
    data: { thing1: '议事会议室', time2: '2026年11月23日 10:05', phrase3: '已确认', thing4: '请按时到场，签到时出示核销码' },
  },
  booking_reminder: {
    fields: { room: '书画室', start: AT, status: '已确认', note: '请按时到场签到，开始后 15 分钟未签到将按爽约处理' },
    data: { thing1: '书画室', time2: '2026年11月23日 10:05', phrase3: '已确认', thing4: '请按时到场签到，开始后 15 分钟未签…' },
  },
  booking_noshow: {
    fields: { room: '书画室', start: AT, status: '已爽约', note: '' },
    data: { thing1: '书画室', time2: '2026年11月23日 10:05', phrase3: '已爽约', thing4: '无' },
  },
  activity_change: {
    fields: { activity: '敬老院陪伴', status: '候补成功', note: '11月28日 09:00' },
    data: { thing1: '敬老院陪伴', phrase2: '候补成功', thing3: '11月28日 09:00' },
  },
  volunteer_points: {
    fields: { source: '垃圾分类督导', points: 12, note: '3 小时' },
    data: { thing1: '垃圾分类督导', number2: '12', thing3: '3 小时' },
  },
  property_result: {
    fields: { subject: '2026年第三季度物业评定结果待确认', time: AT },
    data: { thing1: '2026年第三季度物业评定结果待确认', time2: '2026年11月23日 10:05' },
  },
  grid_visit: {
    fields: { subject: '重点户走访到期', households: '3 户' },
    data: { thing1: '重点户走访到期', thing2: '3 户' },
  },
}

/**
 * A deployment whose templates number and type their keys differently: every field moved to other
 * keys (and some to other types: a time to a date, a subject to a character_string).
 */
const CONFIGURED: Record<TemplateKey, { spec: string; keys: string[] }> = {
  case_new: { spec: 'subject:thing5, time:date2, note:thing9', keys: ['thing5', 'date2', 'thing9'] },
  case_progress: { spec: 'subject:thing4,status:phrase7', keys: ['thing4', 'phrase7'] },
  case_overdue: { spec: 'subject:thing2,due:time11,note:thing3', keys: ['thing2', 'time11', 'thing3'] },
  booking_new: { spec: 'room:thing6,start:time4,purpose:thing8,status:phrase1', keys: ['thing6', 'time4', 'thing8', 'phrase1'] },
  booking_result: { spec: 'room:thing1,start:date3,status:phrase9', keys: ['thing1', 'date3', 'phrase9'] },
  booking_reminder: { spec: 'room:thing2，start:time5，note:thing7', keys: ['thing2', 'time5', 'thing7'] },
  booking_noshow: { spec: 'room:thing3,start:time1,status:phrase2,note:thing12', keys: ['thing3', 'time1', 'phrase2', 'thing12'] },
  activity_change: { spec: 'activity:thing1,status:phrase3,note:thing4', keys: ['thing1', 'phrase3', 'thing4'] },
  volunteer_points: { spec: 'source:thing2,points:number5', keys: ['thing2', 'number5'] },
  property_result: { spec: 'subject:character_string3,time:date6', keys: ['character_string3', 'date6'] },
  grid_visit: { spec: 'subject:thing1,households:thing10', keys: ['thing1', 'thing10'] },
}

describe('each template: our fields → the template keys', () => {
  it('declares a case here for every template (a new template needs its mapping test)', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(SUBSCRIBE_TEMPLATES).sort())
    expect(Object.keys(CONFIGURED).sort()).toEqual(Object.keys(SUBSCRIBE_TEMPLATES).sort())
  })

  describe.each(Object.keys(SUBSCRIBE_TEMPLATES) as TemplateKey[])('%s', (key) => {
    const { fields, data } = CASES[key]

    it('default mapping (TPL_<KEY>_FIELDS unset or blank): the declared keys, every value within WeChat’s rules', () => {
      for (const spec of [undefined, '', '  ']) {
        const out = templateData(key, fields, spec)
        expect(out.problems).toEqual([])
        expect(Object.fromEntries(Object.entries(out.data).map(([k, v]) => [k, v.value]))).toEqual(data)
        expectValid(out.data)
      }
      expect(Object.keys(data)).toEqual(Object.values(defaultFieldMap(key)))
    })

    it('configured mapping: exactly the configured keys, each value fitted to its type', () => {
      const { spec, keys } = CONFIGURED[key]
      const out = templateData(key, fields, spec)
      expect(out.problems).toEqual([])
      expect(Object.keys(out.data).sort()).toEqual([...keys].sort())
      expectValid(out.data)
    })
  })

  it('a configured mapping moves values to the named keys, in the key’s format', () => {
    expect(templateData('case_new', CASES.case_new.fields, 'subject:thing5, time:date2, note:thing9').data).toEqual({
      thing5: { value: '噪音扰民纠纷' },
      date2: { value: '2026年11月23日 10:05' },
      thing9: { value: '待受理' },
    })
    // A field left out of the mapping is not sent (the template has fewer keys).
    expect(templateData('case_progress', CASES.case_progress.fields, 'subject:thing4,status:phrase7').data).toEqual({
      thing4: { value: '漏水纠纷' },
      phrase7: { value: '已受理调解' },
    })
    expect(templateData('property_result', CASES.property_result.fields, 'subject:character_string3,time:date6').data).toEqual({
      character_string3: { value: '2026' },
      date6: { value: '2026年11月23日 10:05' },
    })
  })

  it('the env variable of the mapping is TPL_<KEY>_FIELDS', () => {
    expect(templateFieldsEnv('booking_new')).toBe('TPL_BOOKING_NEW_FIELDS')
  })
})

describe('parseFieldMap', () => {
  it('leaves out and names an unknown field, a malformed key, a key used twice, a field mapped twice', () => {
    const { map, problems } = parseFieldMap('case_new', 'subject:thing1,title:thing2,time:2,note:thing1,subject:thing4,nonsense')
    expect(map).toEqual({ subject: 'thing1' })
    expect(problems).toHaveLength(5)
    expect(problems.join('\n')).toMatch(/case_new has no field title \(fields: subject, time, note\)/)
    expect(problems.join('\n')).toMatch(/2 is not a template key/)
    expect(problems.join('\n')).toMatch(/thing1 is used twice/)
    expect(problems.join('\n')).toMatch(/subject is mapped twice/)
    expect(problems.join('\n')).toMatch(/"nonsense": expected field:key/)
  })

  it('accepts spaces, full-width commas and colons', () => {
    expect(parseFieldMap('grid_visit', ' subject ： thing3 ，households=thing1 ').map).toEqual({ subject: 'thing3', households: 'thing1' })
  })

  it('reads a key’s type', () => {
    expect(['thing1', 'time12', 'character_string3', 'phone_number7', 'thing', '1thing', 'Thing1'].map(keyType)).toEqual([
      'thing',
      'time',
      'character_string',
      'phone_number',
      null,
      null,
      null,
    ])
  })
})

describe('wxValue: a value as the key’s type takes it', () => {
  it.each([
    ['thing1', '一二三四五六七八九十一二三四五六七八九十', '一二三四五六七八九十一二三四五六七八九十'],
    ['thing1', '一二三四五六七八九十一二三四五六七八九十一', '一二三四五六七八九十一二三四五六七八九…'],
    ['thing1', '  多行\n文字\t说明  ', '多行 文字 说明'],
    ['thing1', '', '无'],
    ['thing1', '😀'.repeat(25), '😀'.repeat(19) + '…'],
    ['phrase2', '已受理', '已受理'],
    ['phrase2', '重新办理中了吗', '重新办理中'],
    ['phrase2', 'OK 已办结!', '已办结'],
    ['phrase2', 'done', '无'],
    ['name3', '王小明 (网格员)', '王小明网格员'],
    ['name3', 'Li Ming', 'Li Ming'],
    ['character_string4', 'B-2026-0012 号', 'B-2026-0012'],
    ['character_string4', 'x'.repeat(40), 'x'.repeat(32)],
    ['number5', '12 分', '12'],
    ['number5', '', '0'],
    ['letter6', 'ab12cd', 'abcd'],
    ['symbol7', '+-*/%$', '+-*/%'],
    ['phone_number8', '电话 138-0000-1008', '138-0000-1008'],
  ])('%s ← %j → %j', (key, value, expected) => {
    expect(wxValue(key, value)).toBe(expected)
  })

  it('formats an instant in Shanghai time for time, date, thing and character_string keys', () => {
    expect(wxValue('time2', AT)).toBe('2026年11月23日 10:05')
    expect(wxValue('date2', AT)).toBe('2026年11月23日 10:05')
    expect(wxValue('thing2', AT)).toBe('11月23日 10:05')
    expect(wxValue('character_string2', AT)).toBe('2026-11-23_10:05') // no spaces in a character_string
    // Across the Shanghai day boundary: 16:30 UTC is 00:30 the next day.
    expect(wxValue('time2', new Date('2026-11-23T16:30:00Z'))).toBe('2026年11月24日 00:30')
  })

  it('formats numbers', () => {
    expect(wxValue('number2', 12)).toBe('12')
    expect(wxValue('number2', 2.5)).toBe('2.5')
    expect(wxValue('thing2', 12)).toBe('12')
  })
})

describe('sendFailure', () => {
  it('reads WeChat’s errcode from the SDK’s error', () => {
    const sdkError = Object.assign(new Error('errCode: 43101 | errMsg: openapi.subscribeMessage.send:fail user refuse to accept the msg'), { errCode: 43101 })
    expect(sendFailure(sdkError)).toEqual({ errCode: 43101, reason: sdkError.message })
    expect(sendFailure({ errcode: '47003', errMsg: 'argument invalid! data.thing1.value invalid' })).toEqual({ errCode: 47003, reason: 'argument invalid! data.thing1.value invalid' })
  })

  it('has no errcode for a failure that is not WeChat’s answer', () => {
    expect(sendFailure(new Error('socket hang up'))).toEqual({ errCode: null, reason: 'socket hang up' })
    expect(sendFailure('boom')).toEqual({ errCode: null, reason: 'boom' })
  })
})
