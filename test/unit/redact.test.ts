/**
 * 留言墙脱敏 (issue 9): the table of texts and their expected redaction. Phone numbers, ID-card
 * numbers, room numbers, licence plates, emails and registered names go; years, dates, times,
 * amounts, counts, floors, metro and bus lines and order numbers stay.
 */
import { REDACTION_PLACEHOLDERS, redact, type RedactionKind } from '../../src/shared/rules/redact'

const PHONE = REDACTION_PLACEHOLDERS.phone
const ID = REDACTION_PLACEHOLDERS.idcard
const ROOM = REDACTION_PLACEHOLDERS.room
const NAME = REDACTION_PLACEHOLDERS.name
const PLATE = REDACTION_PLACEHOLDERS.plate
const EMAIL = REDACTION_PLACEHOLDERS.email

/** The demo community's registered people (README), plus two that test edge cases. */
const NAMES = ['王建华', '王建', '李秀梅', '张伟', '刘芳', '孙丽', '李明', 'Tom', '王'] as const

interface Row {
  label: string
  input: string
  names: readonly string[]
  expected: string
}

const rows: Row[] = [
  // ---- phones
  { label: 'mobile, plain', input: '我的电话13800138000，有事联系', names: NAMES, expected: `我的电话${PHONE}，有事联系` },
  {
    label: 'mobile with spaces and with dashes',
    input: '手机 138 0013 8000 或 139-1234-5678',
    names: NAMES,
    expected: `手机 ${PHONE} 或 ${PHONE}`,
  },
  {
    label: 'mobile with +86 / 0086 / (+86) prefix',
    input: '+86 13800138000；0086-13912345678；(+86)15012345678',
    names: NAMES,
    expected: `${PHONE}；${PHONE}；${PHONE}`,
  },
  { label: 'a mobile the writer masked half-way is still hidden', input: '打138****8000找我', names: NAMES, expected: `打${PHONE}找我` },
  { label: 'full-width digits', input: '电话１３８００１３８０００', names: NAMES, expected: `电话${PHONE}` },
  {
    label: 'landlines with area code',
    input: '座机021-62345678，杭州0571-8888888，(010)62345678',
    names: NAMES,
    expected: `座机${PHONE}，杭州${PHONE}，${PHONE}`,
  },
  { label: 'local landline after 电话', input: '物业电话：6234 5678，请转告', names: NAMES, expected: `物业电话：${PHONE}，请转告` },
  {
    label: 'service numbers are not personal: 400, 12345, 110',
    input: '物业客服400-820-8820，打不通就打12345，紧急情况打110',
    names: NAMES,
    expected: '物业客服400-820-8820，打不通就打12345，紧急情况打110',
  },
  {
    label: 'order number 20261130123456 stays: 14 digits fit no phone or ID pattern and identify an order, not a person',
    input: '快递单号20261130123456一直没送到',
    names: NAMES,
    expected: '快递单号20261130123456一直没送到',
  },
  {
    label: '12 digits starting like a mobile stay (not a phone: too long)',
    input: '订单138001380001已退款',
    names: NAMES,
    expected: '订单138001380001已退款',
  },

  // ---- ID cards
  { label: '18-digit ID card with X', input: '身份证号31010119900101123X', names: NAMES, expected: `身份证号${ID}` },
  { label: '18-digit ID card, lowercase x, in a sentence', input: '我的证件是11010519491231002x，请核对', names: NAMES, expected: `我的证件是${ID}，请核对` },
  { label: 'old 15-digit ID card', input: '老身份证310101900101123还能用吗', names: NAMES, expected: `老身份证${ID}还能用吗` },
  {
    label: '18 digits without a plausible birth date is not an ID card',
    input: '流水号202611301234567890',
    names: NAMES,
    expected: '流水号202611301234567890',
  },

  // ---- rooms
  { label: '3栋1202', input: '我是3栋1202的业主', names: NAMES, expected: `我是${ROOM}的业主` },
  { label: '3-1202 and 3-2-1202', input: '3-1202和3-2-1202都漏水', names: NAMES, expected: `${ROOM}和${ROOM}都漏水` },
  {
    label: 'building, unit and room together',
    input: '3号楼2单元1202室，3幢1单元302，二单元502',
    names: NAMES,
    expected: `${ROOM}，${ROOM}，${ROOM}`,
  },
  { label: '1202室 / 1202房间 / 1202号', input: '1202室的水管，1202房间，找1202号', names: NAMES, expected: `${ROOM}的水管，${ROOM}，找${ROOM}` },
  { label: '3#1202 and B座1202', input: '3#1202和B座1202', names: NAMES, expected: `${ROOM}和${ROOM}` },
  {
    label: 'bare number after 楼上 / 隔壁 / 对门 / 住在',
    input: '楼上1202天天装修，隔壁的1203也是，对门1201没意见，我住在1102',
    names: NAMES,
    expected: `楼上${ROOM}天天装修，隔壁的${ROOM}也是，对门${ROOM}没意见，我住在${ROOM}`,
  },
  { label: 'bare number before 业主 / 家的', input: '1202的业主和902家的狗', names: NAMES, expected: `${ROOM}的业主和${ROOM}家的狗` },
  {
    label: 'a floor alone is not a room: 12楼, 家住12楼; with a room it is',
    input: '12楼的灯坏了，我家住12楼；12楼1202除外',
    names: NAMES,
    expected: `12楼的灯坏了，我家住12楼；${ROOM}除外`,
  },
  { label: 'a building alone is not a room', input: '3栋2单元门口的垃圾', names: NAMES, expected: '3栋2单元门口的垃圾' },

  // ---- negatives: years, dates, times, amounts, counts, routes
  {
    label: 'year, date, time, amount, count',
    input: '2026年11月30日12:00开会，每户收费300元，带3个凳子',
    names: NAMES,
    expected: '2026年11月30日12:00开会，每户收费300元，带3个凳子',
  },
  {
    label: 'metro, bus, street address, ISO date, price range',
    input: '坐3号线或106路到长宁路1202号，2026-11-30前交100-200元',
    names: NAMES,
    expected: '坐3号线或106路到长宁路1202号，2026-11-30前交100-200元',
  },
  {
    label: 'counts of households, durations, rent',
    input: '小区共1200户，住了300天，隔壁300多平，房租3000房租涨了',
    names: NAMES,
    expected: '小区共1200户，住了300天，隔壁300多平，房租3000房租涨了',
  },

  // ---- plates and emails
  {
    label: 'licence plates, new-energy with a dot, lowercase with a space',
    input: '沪A12345占了车位，京B·D1234F也是，还有粤b 12345',
    names: NAMES,
    expected: `${PLATE}占了车位，${PLATE}也是，还有${PLATE}`,
  },
  {
    label: 'emails, including one made of a phone number',
    input: '发到wang.jh@example.com或13800138000@163.com',
    names: NAMES,
    expected: `发到${EMAIL}或${EMAIL}`,
  },

  // ---- names
  { label: 'registered names next to other Chinese characters', input: '张伟家和刘芳说好了', names: NAMES, expected: `${NAME}家和${NAME}说好了` },
  {
    label: 'longest name first: 王建华 before 王建; single-character 王 is ignored',
    input: '王建华和王建是兄弟，王老师',
    names: NAMES,
    expected: `${NAME}和${NAME}是兄弟，王老师`,
  },
  {
    label: '李明 inside 李明天 is hidden (cannot tell 李明|天 from 李|明天; hiding is the safe side)',
    input: '李明天来修水管',
    names: NAMES,
    expected: `${NAME}天来修水管`,
  },
  {
    label: 'surname + title is kept (shared by many; not a registered name); full name + title is not',
    input: '谢谢王阿姨和李叔叔，也谢谢李秀梅阿姨',
    names: NAMES,
    expected: `谢谢王阿姨和李叔叔，也谢谢${NAME}阿姨`,
  },
  { label: 'a Latin name must stand alone', input: 'Tom说Tomorrow再说', names: NAMES, expected: `${NAME}说Tomorrow再说` },
  { label: 'no names registered: names stay', input: '张伟家门口', names: [], expected: '张伟家门口' },
  {
    label: 'emoji and punctuation are kept',
    input: '😡孙丽！！楼下902又吵到半夜…🙏',
    names: NAMES,
    expected: `😡${NAME}！！楼下${ROOM}又吵到半夜…🙏`,
  },

  // ---- mixed
  {
    label: 'several kinds in one message',
    input: '我是3栋1202的王建华，手机13800138000，身份证31010119900101123X，车牌沪A12345，邮箱wjh@qq.com。',
    names: NAMES,
    expected: `我是${ROOM}的${NAME}，手机${PHONE}，身份证${ID}，车牌${PLATE}，邮箱${EMAIL}。`,
  },
  {
    label: 'a message with nothing personal is returned as it is',
    input: '建议周末在党群服务中心办一次亲子活动，时间 9:30-11:30。',
    names: NAMES,
    expected: '建议周末在党群服务中心办一次亲子活动，时间 9:30-11:30。',
  },
  { label: 'multi-line text keeps its line breaks', input: '第一行\n楼上1202\n\n电话13800138000', names: NAMES, expected: `第一行\n楼上${ROOM}\n\n电话${PHONE}` },
]

describe('redact: the table', () => {
  it('has at least 30 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30)
  })

  it.each(rows)('$label', ({ input, names, expected }) => {
    expect(redact(input, { names }).text).toBe(expected)
  })

  it.each(rows)('is idempotent: $label', ({ input, names }) => {
    const once = redact(input, { names })
    const twice = redact(once.text, { names })
    expect(twice.text).toBe(once.text)
    expect(twice.hits).toEqual([])
  })

  it.each(rows)('hits put back give the input: $label', ({ input, names }) => {
    // Each placeholder in the output stands for exactly one hit, in order.
    const { text, hits } = redact(input, { names })
    let i = 0
    const restored = text.replace(/【(?:电话|身份证号|门牌号|姓名|车牌号|邮箱)已隐藏】/g, (placeholder) => {
      const hit = hits[i++]
      expect(hit && REDACTION_PLACEHOLDERS[hit.kind]).toBe(placeholder)
      return hit?.original ?? ''
    })
    expect(i).toBe(hits.length)
    expect(restored).toBe(input)
  })
})

describe('redact: hits', () => {
  it('lists what was removed, by kind, in the order of the text', () => {
    const { hits } = redact('王建华住3栋1202，电话138-0013-8000，身份证31010119900101123X，车牌京B·D1234F，a@b.cn', {
      names: NAMES,
    })
    expect(hits).toEqual<Array<{ kind: RedactionKind; original: string }>>([
      { kind: 'name', original: '王建华' },
      { kind: 'room', original: '3栋1202' },
      { kind: 'phone', original: '138-0013-8000' },
      { kind: 'idcard', original: '31010119900101123X' },
      { kind: 'plate', original: '京B·D1234F' },
      { kind: 'email', original: 'a@b.cn' },
    ])
  })

  it('reports the original characters, also when they were full-width', () => {
    expect(redact('３栋１２０２', { names: [] }).hits).toEqual([{ kind: 'room', original: '３栋１２０２' }])
  })

  it('has no hits for a clean text', () => {
    expect(redact('2026年11月30日12:00，300元', { names: NAMES })).toEqual({ text: '2026年11月30日12:00，300元', hits: [] })
  })

  it('never matches a name inside a placeholder already in the text', () => {
    // A registered "name" that is part of a placeholder must not break an earlier redaction.
    const once = redact('电话13800138000', { names: ['隐藏'] })
    expect(once.text).toBe(`电话${PHONE}`)
    expect(redact(once.text, { names: ['隐藏', '电话'] }).text).toBe(`${NAME}${PHONE}`)
  })

  it('stays fast on long adversarial input (no catastrophic backtracking)', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `王${String.fromCharCode(0x4e00 + i)}`)
    for (const input of ['1'.repeat(20000), 'a.'.repeat(10000), '1-'.repeat(10000), '楼上 '.repeat(5000), '3栋'.repeat(10000)]) {
      // Correctness, not timing, is asserted; a backtracking blow-up would time the test out.
      expect(redact(input, { names }).text.length).toBeGreaterThan(0)
    }
  })
})
