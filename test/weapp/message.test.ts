/**
 * The 居民留言 pages of the BUILT mini-program (dist/weapp): Taro's runtime, our bundles and the
 * real gateway, with `wx.cloud.callFunction` answered by scripted handlers.
 */
import { launchApp, type MiniApp } from './harness'
import { demoProfile } from '../support/dispute-fixtures'
import { messageDetail, messageSummary, waitingMessage, wallItem } from '../support/message-fixtures'

let mp: MiniApp
const profile = demoProfile()

/** The resident's own message, waiting for their answer. */
const waiting = waitingMessage({ id: 'ms-own' })
/** A message the viewer handles. */
const handling = messageDetail({ id: 'ms-handle', viewerRole: 'handler', can: ['reply', 'requestInfo', 'resolve', 'reassign', 'publish'] })

beforeAll(async () => {
  mp = await launchApp({
    backend: {
      'user.me': () => ({ openid: profile.openid, profile }),
      'cases.get': (p: { id: string }) => (p.id === handling.id ? handling : waiting),
      'cases.mine': () => ({ items: [messageSummary({ id: 'ms-own', status: 'waiting_info', statusLabel: '待补充材料', unread: 3 })], nextCursor: null }),
      'cases.queue': () => ({ items: [messageSummary({ id: 'ms-handle', unread: 1, overdue: true })], nextCursor: null }),
      'cases.templates': () => ({ items: [{ id: 't1', title: '路灯报修', text: '您好，已通知物业维修路灯。', updatedAt: '2026-11-20T02:00:00.000Z' }] }),
      'cases.wall': () => ({ items: [wallItem()], nextCursor: null }),
    },
  })
})

describe('built weapp: message pages', () => {
  it('写留言: five category chips; 报修 brings the 水电气暖 switch; 希望公开 is always there', async () => {
    const page = await mp.openPage('packages/message/pages/new/index')
    await page.waitForText(['留言类型', '留言内容', '希望公开到留言墙', '提交留言'])
    await page.until(() => expect(page.queryAll('.category-chip')).toHaveLength(6))
    expect(page.query('.utility-row')).toBeNull()
    await page.tap('.category-chip-3')
    await page.until(() => expect(page.classOf('.category-chip-3')).toContain('chip--on'))
    await page.waitForText('水电气暖紧急（2 小时内答复）')
    await page.tap('.public-row__switch')
    await page.until(() => expect(page.classOf('.public-row__switch')).toContain('ui-switch--on'))
    page.close()
  })

  it('我的留言: the card carries the unread count; 留言墙 is linked', async () => {
    const page = await mp.openPage('packages/message/pages/mine/index')
    await page.waitForText(['待补充材料', '留言墙', '写留言'])
    await page.until(() => expect(page.query('.case-card__unread')?.textContent?.trim()).toBe('3'))
    await page.tap('.handler-link--wall')
    await page.until(() => expect(mp.fake.callsOf('navigateTo')).toContainEqual(expect.objectContaining({ url: '/packages/message/pages/wall/index' })))
    page.close()
  })

  it('detail (resident): bubbles on both sides, 请补充 marked, the clock paused, the answer box', async () => {
    const page = await mp.openPage('packages/message/pages/detail/index', { id: 'ms-own' })
    await page.waitForText(['留言与回复', '请补充', '已暂停计时，等待居民补充', '补充说明', '李秀梅 · 社区'])
    expect(page.queryAll('.post--resident')).toHaveLength(1)
    expect(page.queryAll('.post--staff.post--asks')).toHaveLength(1)
    expect(page.query('.answer-box')).not.toBeNull()
    expect(page.query('.reply-box')).toBeNull()
    // The record is folded until asked for.
    expect(page.query('.tl-item')).toBeNull()
    await page.tap('.timeline-toggle')
    await page.waitFor('.tl-item')
    page.close()
  })

  it('detail (handler): the reply box; 插入常用回复 lists the saved replies and a tap puts one in the box', async () => {
    const page = await mp.openPage('packages/message/pages/detail/index', { id: 'ms-handle' })
    await page.waitForText(['回复居民', '插入常用回复', '请居民补充', '公开到留言墙'])
    await page.tap('.insert-template')
    await page.waitForText('路灯报修')
    await page.tap('.template-option')
    await page.until(() => expect(page.query('.template-picker')).toBeNull())
    // The box now holds the template's text (its counter counts it).
    await page.until(() => expect(page.query('.reply-field .counter')?.textContent?.trim()).toBe(`${'您好，已通知物业维修路灯。'.length}/1000`))
    page.close()
  })

  it('留言办理: asks for messages and shows overdue and unread marks', async () => {
    const page = await mp.openPage('packages/message/pages/inbox/index')
    await page.waitForText(['待处理', '待补充', '只看超期'])
    await page.waitFor('.case-card--overdue')
    await page.until(() => expect(page.query('.case-card__unread')?.textContent?.trim()).toBe('1'))
    expect(mp.fake.backendCalls('cases.queue')[0]).toEqual(expect.objectContaining({ kind: 'message', status: 'open' }))
    page.close()
  })

  it('留言墙: the redacted text and the community reply', async () => {
    const page = await mp.openPage('packages/message/pages/wall/index')
    const text = await page.waitForText(['【电话已隐藏】', '社区回复', '已联系物业，今天下午修复。'])
    expect(text).not.toContain('13812345678')
    page.close()
  })
})
