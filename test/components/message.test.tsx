/**
 * The 居民留言 pages in jsdom, against a scripted backend behind the real client gateway
 * (test/support/fake-backend.ts): what a resident and a community worker see, and exactly what
 * reaches the backend.
 */
import Taro from '@tarojs/taro'
import { act, fireEvent, render, waitFor, type RenderResult } from '@testing-library/react'
import { MessageNewView } from '@/packages/message/pages/new/index'
import { MessageMineView } from '@/packages/message/pages/mine/index'
import { MessageDetailView } from '@/packages/message/pages/detail/index'
import { MessageInboxView } from '@/packages/message/pages/inbox/index'
import { MessageTemplatesView } from '@/packages/message/pages/templates/index'
import { MessageWallView } from '@/packages/message/pages/wall/index'
import { FEATURE_ENTRIES, openEntry } from '@/features/entries'
import { demoProfile, fail, fakeBackend, type FakeBackend } from '../support/fake-backend'
import { picked, q, qa, tap, text, typeInto } from '../support/dom'
import { MESSAGE_TEXT, messageDetail, messageSummary, post, waitingMessage, wallItem } from '../support/message-fixtures'

jest.mock('@/services/upload', () => ({
  uploadPhoto: jest.fn(async (path: string) => `local://u/demo-res-sun/${path.replace(/\W/g, '')}.png`),
}))

const resident = () => ({ openid: 'demo-res-sun', profile: demoProfile() })
const staff = () => ({ openid: 'demo-staff-li', profile: demoProfile({ openid: 'demo-staff-li', name: '李秀梅', roles: ['resident', 'staff'] }) })

let toast: jest.SpyInstance
let nav: jest.SpyInstance
beforeEach(() => {
  toast = jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
  nav = jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
})
afterEach(() => {
  jest.restoreAllMocks()
})

const toasts = () => toast.mock.calls.map((c) => c[0].title as string)

describe('写留言', () => {
  async function openForm(b: FakeBackend): Promise<RenderResult> {
    void b
    const r = render(<MessageNewView />)
    await waitFor(() => expect(qa(r, '.category-chip')).toHaveLength(6))
    return r
  }

  it('offers 水电气暖紧急 only for 报修 and 投诉; 1001 characters stay on the phone with an inline error', async () => {
    const b = fakeBackend({ 'user.me': resident })
    const r = await openForm(b)
    expect(qa(r, '.category-chip').map(text)).toEqual(['咨询', '建议', '投诉', '报修', '物业', '表扬'])
    expect(q(r, '.utility-row')).toBeNull()
    expect(q(r, '.public-row')).not.toBeNull()

    fireEvent.click(q(r, '.category-chip-3')!) // 报修
    await waitFor(() => expect(text(q(r, '.utility-row'))).toContain('水电气暖紧急（2 小时内答复）'))
    fireEvent.click(q(r, '.category-chip-0')!) // 咨询
    await waitFor(() => expect(q(r, '.utility-row')).toBeNull())

    await typeInto(r, '.message-input textarea', '灯'.repeat(1001))
    await waitFor(() => expect(text(q(r, '.field-text .counter'))).toBe('1001/1000'))
    expect(q(r, '.field-text .counter--over')).not.toBeNull()
    await tap(r, '.submit-btn')
    await waitFor(() => expect(text(q(r, '.field-text .ui-field__error'))).toBe('最多 1000 个字'))
    expect(b.calls('cases.write')).toEqual([])
  })

  it('an empty form says what is missing, inline, and sends nothing', async () => {
    const b = fakeBackend({ 'user.me': resident })
    const r = await openForm(b)
    await tap(r, '.submit-btn')
    await waitFor(() => expect(text(q(r, '.field-category .ui-field__error'))).toBe('请选择留言类型'))
    expect(text(q(r, '.field-text .ui-field__error'))).toBe('请写下您想对社区说的话')
    expect(b.calls('cases.write')).toEqual([])
  })

  it('sends category, text, photos, 水电气暖 and 希望公开 with one request id across a retry, then says who answers by when', async () => {
    let first = true
    const b = fakeBackend({
      'user.me': resident,
      'cases.write': () => {
        if (first) {
          first = false
          return fail('INTERNAL', '系统开小差了，请稍后再试')
        }
        return messageDetail({ id: 'ms-new' })
      },
    })
    jest.spyOn(Taro, 'chooseMedia').mockResolvedValueOnce(picked('blob:lamp'))
    const redirect = jest.spyOn(Taro, 'redirectTo').mockImplementation(() => Promise.resolve({ errMsg: 'redirectTo:ok' }))
    const r = await openForm(b)
    fireEvent.click(q(r, '.category-chip-3')!)
    await tap(r, '.utility-row__switch')
    await tap(r, '.public-row__switch')
    await typeInto(r, '.message-input textarea', MESSAGE_TEXT)
    await tap(r, '.photo-add')
    await waitFor(() => expect(qa(r, '.photo--done')).toHaveLength(1))

    await tap(r, '.submit-btn')
    await waitFor(() => expect(text(q(r, '.submit-error'))).toBe('系统开小差了，请稍后再试'))
    await tap(r, '.submit-btn')
    // The shared success page: what happens next and by when, then 查看进度 opens the thread.
    await waitFor(() => expect(text(q(r, '.ui-done__title'))).toBe('留言已提交'))
    expect(text(q(r, '.ui-done__next'))).toBe('社区工作人员将在 11月24日 10:00 前答复')
    fireEvent.click(q(r, '.ui-done__detail')!)
    expect(redirect).toHaveBeenCalledWith({ url: '/packages/message/pages/detail/index?id=ms-new' })

    const sent = b.all.filter((c) => c.key === 'cases.write')
    expect(sent).toHaveLength(2)
    expect(sent[0].requestId).toMatch(/^[a-z0-9]+$/)
    expect(sent[1].requestId).toBe(sent[0].requestId)
    expect(sent[1].payload).toEqual({ category: '报修', text: MESSAGE_TEXT, photos: ['local://u/demo-res-sun/bloblamp.png'], utility: true, wantsPublic: true })
  })

  it('a 水电气暖 switch left on under 报修 does not travel with 咨询', async () => {
    const b = fakeBackend({ 'user.me': resident, 'cases.write': () => messageDetail() })
    jest.spyOn(Taro, 'redirectTo').mockImplementation(() => Promise.resolve({ errMsg: 'redirectTo:ok' }))
    const r = await openForm(b)
    fireEvent.click(q(r, '.category-chip-3')!)
    await tap(r, '.utility-row__switch')
    fireEvent.click(q(r, '.category-chip-0')!)
    await typeInto(r, '.message-input textarea', '小区的垃圾分类时间是几点？')
    await tap(r, '.submit-btn')
    await waitFor(() => expect(b.calls('cases.write')).toHaveLength(1))
    expect(b.calls('cases.write')[0]).toEqual(expect.objectContaining({ category: '咨询', utility: false, wantsPublic: false }))
    await waitFor(() => expect(q(r, '.ui-done')).not.toBeNull())
  })

  it('a refusal of the text by the server shows beside the text', async () => {
    fakeBackend({ 'user.me': resident, 'cases.write': () => fail('CONTENT_REJECTED', '内容含有不当信息，请修改后再提交', [{ path: 'text', message: '内容含有不当信息，请修改' }]) })
    const r = render(<MessageNewView />)
    await waitFor(() => expect(qa(r, '.category-chip')).toHaveLength(6))
    fireEvent.click(q(r, '.category-chip-1')!)
    await typeInto(r, '.message-input textarea', '建议增加快递柜')
    await tap(r, '.submit-btn')
    await waitFor(() => expect(text(q(r, '.field-text .ui-field__error'))).toBe('内容含有不当信息，请修改'))
  })
})

describe('我的留言', () => {
  it('lists my messages with status and the unread count; links to 留言墙; residents get no 留言办理', async () => {
    fakeBackend({
      'user.me': resident,
      'cases.mine': (p: { kind: string }) => ({
        items:
          p.kind === 'message'
            ? [messageSummary({ id: 'a', status: 'accepted', statusLabel: '已受理', unread: 2 }), messageSummary({ id: 'b', status: 'closed', statusLabel: '已办结', dueAt: null })]
            : [],
        nextCursor: null,
      }),
    })
    const r = render(<MessageMineView />)
    await waitFor(() => expect(qa(r, '.case-card')).toHaveLength(2))
    const [a, b] = qa(r, '.case-card')
    expect(text(a.querySelector('.case-card__status'))).toBe('已受理')
    expect(text(a.querySelector('.case-card__unread'))).toBe('2')
    expect(b.querySelector('.case-card__unread')).toBeNull()
    expect(q(r, '.handler-link--inbox')).toBeNull()
    fireEvent.click(q(r, '.handler-link--wall')!)
    expect(nav).toHaveBeenCalledWith({ url: '/packages/message/pages/wall/index' })
    fireEvent.click(a)
    expect(nav).toHaveBeenCalledWith({ url: '/packages/message/pages/detail/index?id=a' })
  })

  it('empty: says so and offers 写留言; staff also get 留言办理', async () => {
    const b = fakeBackend({ 'user.me': staff, 'cases.mine': () => ({ items: [], nextCursor: null }) })
    const r = render(<MessageMineView />)
    await waitFor(() => expect(text(r.container)).toContain('您还没有给社区留过言'))
    expect(b.calls('cases.mine')[0]).toEqual(expect.objectContaining({ kind: 'message' }))
    await waitFor(() => expect(q(r, '.handler-link--inbox')).not.toBeNull())
    fireEvent.click(q(r, '.empty-new-btn')!)
    expect(nav).toHaveBeenCalledWith({ url: '/packages/message/pages/new/index' })
  })
})

describe('留言详情: the resident', () => {
  it('shows the thread as bubbles (resident right, community left), 请补充 highlighted, the paused clock, and sends an answer', async () => {
    const waiting = waitingMessage({ version: 3 })
    const b = fakeBackend({
      'user.me': resident,
      'cases.get': () => waiting,
      'cases.answer': (p: { text: string }) => ({ ...waiting, status: 'accepted', statusLabel: '已受理', paused: false, thread: [...waiting.thread, post('resident', p.text)], version: 4 }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await waitFor(() => expect(qa(r, '.post')).toHaveLength(2))
    const [mine, theirs] = qa(r, '.post')
    expect(mine.classList.contains('post--resident')).toBe(true)
    expect(theirs.classList.contains('post--staff')).toBe(true)
    expect(theirs.classList.contains('post--asks')).toBe(true)
    expect(text(theirs.querySelector('.post__asks'))).toBe('请补充')
    expect(text(theirs.querySelector('.post__who'))).toContain('李秀梅 · 社区')
    expect(text(q(r, '.case-head__due'))).toBe('已暂停计时，等待居民补充')
    expect(q(r, '.case-head__paused')).not.toBeNull()
    expect(text(q(r, '.answer-box'))).toContain('补充说明')
    expect(q(r, '.reply-box')).toBeNull()

    // Empty: asked for, nothing sent.
    await tap(r, '.answer-btn')
    await waitFor(() => expect(text(q(r, '.answer-field .ui-field__error'))).toBe('请填写内容'))
    await typeInto(r, '.answer-input textarea', '是 3 栋门口靠近垃圾房的那盏')
    await tap(r, '.answer-btn')
    await waitFor(() => expect(qa(r, '.post')).toHaveLength(3))
    expect(b.calls('cases.answer')).toEqual([{ id: 'ms-1', version: 3, text: '是 3 栋门口靠近垃圾房的那盏', photos: [] }])
    expect(toasts()).toContain('已发送')
    // The box is emptied for the next post.
    await waitFor(() => expect((q(r, '.answer-input textarea') as HTMLTextAreaElement).value).toBe(''))
  })

  it('while the community works on it, the answer box opens with one tap (继续留言)', async () => {
    fakeBackend({ 'user.me': resident, 'cases.get': () => messageDetail({ status: 'accepted', statusLabel: '已受理', can: ['withdraw', 'answer'] }) })
    const r = render(<MessageDetailView id='ms-1' />)
    await tap(r, '.answer-open-btn')
    await waitFor(() => expect(text(q(r, '.answer-box'))).toContain('继续留言'))
    expect(q(r, '.answer-box__hint')).toBeNull()
  })

  it('rates 满意 in the sheet; the toast says 感谢您的评价', async () => {
    const resolved = messageDetail({ status: 'resolved', statusLabel: '已解决', agreement: '已联系物业修复路灯', assigneeName: '李秀梅', can: ['rate'], version: 5 })
    const b = fakeBackend({
      'user.me': resident,
      'cases.get': () => resolved,
      'cases.rate': () => ({ ...resolved, status: 'closed', statusLabel: '已办结', satisfaction: 'satisfied', can: [] }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await tap(r, '.case-action--rate')
    expect(text(q(r, '.action-sheet'))).toContain('选择「不满意」将重新办理一次')
    expect(text(q(r, '.case-result'))).toContain('已联系物业修复路灯')
    fireEvent.click(q(r, '.rating-chip-0')!)
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(q(r, '.action-sheet')).toBeNull())
    expect(b.calls('cases.rate')).toEqual([{ id: 'ms-1', version: 5, satisfaction: 'satisfied' }])
    expect(toasts()).toContain('感谢您的评价')
    expect(text(q(r, '.case-result'))).toContain('居民评价满意')
  })

  it('after the final 不满意 the next steps are offered: 人民调解委员会 and 12345', async () => {
    fakeBackend({
      'user.me': resident,
      'cases.get': () => messageDetail({ status: 'closed', statusLabel: '已办结', satisfaction: 'unsatisfied', reopenCount: 1, can: [], assigneeName: '李秀梅' }),
    })
    const call = jest.spyOn(Taro, 'makePhoneCall').mockImplementation(() => Promise.resolve({ errMsg: 'makePhoneCall:ok' }))
    const r = render(<MessageDetailView id='ms-1' />)
    await waitFor(() => expect(q(r, '.next-steps')).not.toBeNull())
    expect(text(q(r, '.next-steps'))).toContain('人民调解委员会')
    expect(text(q(r, '.next-steps'))).toContain('12345')
    fireEvent.click(q(r, '.next-step--hotline')!)
    expect(call).toHaveBeenCalledWith({ phoneNumber: '12345' })
  })

  it('a withdrawn message shows no 承办人, and 希望公开 reads as waiting for review', async () => {
    fakeBackend({ 'user.me': resident, 'cases.get': () => messageDetail({ status: 'withdrawn', statusLabel: '已撤回', can: [], assigneeName: null, dueAt: null }) })
    const r = render(<MessageDetailView id='ms-1' />)
    await waitFor(() => expect(q(r, '.case-info')).not.toBeNull())
    expect(text(q(r, '.case-info'))).not.toContain('承办人')
    expect(text(q(r, '.wall-state'))).toContain('工作人员审核并隐去个人信息后公开')
  })

  it('another resident’s message reads 没有权限, with no 重试', async () => {
    fakeBackend({ 'user.me': resident, 'cases.get': () => fail('FORBIDDEN', '您没有权限查看这条留言') })
    const r = render(<MessageDetailView id='ms-9' />)
    await waitFor(() => expect(text(r.container)).toContain('没有权限'))
    expect(text(r.container)).toContain('您没有权限查看这条留言')
    expect(text(r.container)).not.toContain('重试')
  })
})

describe('留言详情: the community worker', () => {
  const TEMPLATES = [
    { id: 't1', title: '路灯报修', text: '您好，已通知物业维修路灯，预计两天内修复。', updatedAt: '2026-11-20T02:00:00.000Z' },
    { id: 't2', title: '感谢建议', text: '感谢您的建议，我们会认真研究。', updatedAt: '2026-11-20T02:00:00.000Z' },
  ]
  const handling = (over = {}) =>
    messageDetail({ viewerRole: 'handler', submitter: { name: '孙丽', phone: '13800001008' }, can: ['reply', 'requestInfo', 'resolve', 'fail', 'escalate', 'reassign', 'addNote', 'publish'], ...over })

  it('插入常用回复 puts the saved text into the box; 回复 sends it; the toast says 已回复', async () => {
    const b = fakeBackend({
      'user.me': staff,
      'cases.get': () => handling(),
      'cases.templates': () => ({ items: TEMPLATES }),
      'cases.reply': (p: { text: string }) => handling({ status: 'accepted', statusLabel: '已受理', assigneeName: '李秀梅', thread: [post('resident', MESSAGE_TEXT), post('staff', p.text)], version: 2 }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await waitFor(() => expect(q(r, '.reply-box')).not.toBeNull())
    expect(q(r, '.answer-box')).toBeNull()
    expect(text(q(r, '.case-info'))).toContain('13800001008')
    // 回复 and 请居民补充 live in the box, not among the buttons.
    expect(qa(r, '.case-action').map(text)).toEqual(['办结', '未能解决', '上报', '添加备注', '转办', '公开到留言墙'])

    await tap(r, '.insert-template')
    await waitFor(() => expect(qa(r, '.template-option')).toHaveLength(2))
    fireEvent.click(qa(r, '.template-option')[0])
    await waitFor(() => expect(q(r, '.template-picker')).toBeNull())
    await waitFor(() => expect((q(r, '.reply-input textarea') as HTMLTextAreaElement).value).toBe('您好，已通知物业维修路灯，预计两天内修复。'))

    await tap(r, '.reply-btn')
    await waitFor(() => expect(b.calls('cases.reply')).toHaveLength(1))
    expect(b.calls('cases.reply')[0]).toEqual({ id: 'ms-1', version: 1, text: '您好，已通知物业维修路灯，预计两天内修复。' })
    await waitFor(() => expect(qa(r, '.post')).toHaveLength(2))
    expect(toasts()).toContain('已回复')
    expect(toasts().some((t) => t.endsWith('成功'))).toBe(false)
  })

  it('请居民补充 sends requestInfo with the box’s text; the toast says 已请居民补充', async () => {
    const b = fakeBackend({
      'user.me': staff,
      'cases.get': () => handling(),
      'cases.requestInfo': () => handling({ status: 'waiting_info', statusLabel: '待补充材料', paused: true, can: ['addNote'] }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await typeInto(r, '.reply-input textarea', '请拍一张路灯的照片')
    await tap(r, '.request-info-btn')
    await waitFor(() => expect(b.calls('cases.requestInfo')).toEqual([{ id: 'ms-1', version: 1, text: '请拍一张路灯的照片' }]))
    await waitFor(() => expect(text(q(r, '.case-head__due'))).toBe('已暂停计时，等待居民补充'))
    expect(toasts()).toContain('已请居民补充')
  })

  it('办结 asks for the result (办理结果) and says 已办结', async () => {
    const b = fakeBackend({
      'user.me': staff,
      'cases.get': () => handling({ status: 'accepted', statusLabel: '已受理' }),
      'cases.resolve': () => handling({ status: 'resolved', statusLabel: '已解决', agreement: '路灯已修复', can: [] }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await tap(r, '.case-action--resolve')
    expect(text(q(r, '.action-sheet'))).toContain('办结：填写办理结果')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(text(q(r, '.sheet-text .ui-field__error'))).toBe('请填写办理结果'))
    await typeInto(r, '.sheet-textarea textarea', '路灯已修复')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(b.calls('cases.resolve')).toEqual([{ id: 'ms-1', version: 1, agreement: '路灯已修复' }]))
    await waitFor(() => expect(toasts()).toContain('已办结'))
  })

  it('公开到留言墙: the draft with the phone hidden is shown editable with the list of hidden items; publish sends the edited text', async () => {
    const b = fakeBackend({
      'user.me': staff,
      'cases.get': () => handling(),
      'cases.wallDraft': () => ({
        text: '【门牌号已隐藏】 门口的路灯坏了一周，晚上很黑，老人出门不方便。联系电话 【电话已隐藏】。',
        reply: '已通知物业维修。',
        hidden: [
          { kind: 'room', original: '3栋1202' },
          { kind: 'phone', original: '13812345678' },
        ],
      }),
      'cases.publish': (p: { text: string }) => handling({ wall: { wanted: true, status: 'published', text: p.text, publishedAt: '2026-11-24T02:00:00.000Z' }, can: ['unpublish'] }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await tap(r, '.case-action--publish')
    await waitFor(() => expect(qa(r, '.hidden-item').map(text)).toEqual(['门牌号：3栋1202', '电话：13812345678']))
    // Taro's Textarea renders its inner <textarea> after the sheet itself, and may render it
    // again: read the elements afresh in every check instead of holding on to them.
    const areas = () => qa(r, '.publish-textarea textarea') as HTMLTextAreaElement[]
    await waitFor(() => expect(areas()[0]?.value).toContain('【电话已隐藏】'))
    expect(areas()[0].value).not.toContain('13812345678')
    await waitFor(() => expect(areas()[1]?.value).toBe('已通知物业维修。'))
    fireEvent.input(areas()[0], { target: { value: '门口的路灯坏了一周，晚上很黑。' } })
    await tap(r, '.action-sheet--publish .sheet-confirm')
    await waitFor(() => expect(b.calls('cases.publish')).toEqual([{ id: 'ms-1', version: 1, text: '门口的路灯坏了一周，晚上很黑。', reply: '已通知物业维修。' }]))
    await waitFor(() => expect(q(r, '.action-sheet--publish')).toBeNull())
    expect(toasts()).toContain('已公开到留言墙')
    expect(text(q(r, '.wall-state'))).toContain('已公开')
  })

  it('改派给我 and 撤下 say 已改派给您 and 已撤下', async () => {
    let c = handling({ status: 'accepted', statusLabel: '已受理', assigneeName: '张伟', wall: { wanted: true, status: 'published', text: '路灯坏了', publishedAt: '2026-11-24T02:00:00.000Z' }, can: ['takeOver', 'unpublish'] })
    const b = fakeBackend({
      'user.me': staff,
      'cases.get': () => c,
      'cases.takeOver': () => (c = { ...c, assigneeName: '李秀梅', version: c.version + 1 }),
      'cases.unpublish': () => (c = { ...c, wall: { wanted: true, status: 'withdrawn', text: null, publishedAt: null }, can: ['takeOver'], version: c.version + 1 }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await tap(r, '.case-action--takeOver')
    await typeInto(r, '.sheet-textarea textarea', '张伟休假，由我继续办理')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(toasts()).toContain('已改派给您'))
    expect(b.calls('cases.takeOver')).toEqual([{ id: 'ms-1', version: 1, reason: '张伟休假，由我继续办理' }])
    await waitFor(() => expect(text(q(r, '.info-row--assignee'))).toContain('李秀梅'))

    await tap(r, '.case-action--unpublish')
    await typeInto(r, '.sheet-textarea textarea', '居民要求不再公开')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(toasts()).toContain('已撤下'))
    expect(b.calls('cases.unpublish')).toEqual([{ id: 'ms-1', version: 2, reason: '居民要求不再公开' }])
  })

  it('转办 offers the grids, 转回社区 and the colleagues; a colleague is sent as staffId', async () => {
    const b = fakeBackend({
      'user.me': staff,
      'cases.get': () => handling(),
      'user.grids': () => ({ items: [{ id: 'g-cuihu-1', name: '翠湖第一网格', workerCount: 1, mine: false }] }),
      'user.colleagues': () => ({
        items: [
          { openid: 'demo-staff-li', name: '李秀梅', roles: ['resident', 'staff'] },
          { openid: 'demo-admin-wang', name: '王建华', roles: ['resident', 'admin'] },
        ],
      }),
      'cases.reassign': () => handling({ can: [] }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await tap(r, '.case-action--reassign')
    await waitFor(() => expect(qa(r, '.target-chip').map(text)).toEqual(['翠湖第一网格', '转回社区']))
    // Not oneself: that is 改派给我.
    await waitFor(() => expect(qa(r, '.colleague-chip').map(text)).toEqual(['王建华']))
    fireEvent.click(q(r, '.colleague-chip-0')!)
    await typeInto(r, '.sheet-textarea textarea', '涉及物业合同，请王书记协调')
    await tap(r, '.sheet-confirm')
    await waitFor(() => expect(b.calls('cases.reassign')).toEqual([{ id: 'ms-1', version: 1, gridId: null, staffId: 'demo-admin-wang', note: '涉及物业合同，请王书记协调' }]))
    expect(toasts()).toContain('已转办')
  })

  it('an observer reads only: who handles it, no boxes and no buttons', async () => {
    fakeBackend({
      'user.me': staff,
      'cases.get': () => messageDetail({ viewerRole: 'observer', assigneeName: '张伟', status: 'accepted', statusLabel: '已受理', can: [] }),
    })
    const r = render(<MessageDetailView id='ms-1' />)
    await waitFor(() => expect(q(r, '.observer-note')).not.toBeNull())
    expect(text(q(r, '.observer-note'))).toContain('该事项由 张伟 承办')
    expect(q(r, '.reply-box')).toBeNull()
    expect(q(r, '.answer-box')).toBeNull()
    expect(q(r, '.case-actions')).toBeNull()
  })

  it('the 办理记录 is folded until asked for', async () => {
    fakeBackend({ 'user.me': staff, 'cases.get': () => handling() })
    const r = render(<MessageDetailView id='ms-1' />)
    await waitFor(() => expect(q(r, '.timeline-toggle')).not.toBeNull())
    expect(q(r, '.timeline')).toBeNull()
    expect(text(q(r, '.timeline-toggle'))).toBe('展开（1 条）')
    fireEvent.click(q(r, '.timeline-toggle')!)
    await waitFor(() => expect(qa(r, '.tl-item')).toHaveLength(1))
    expect(text(q(r, '.tl-item__label'))).toBe('留言')
  })
})

describe('留言办理 (inbox)', () => {
  it('asks for kind message, shows the unread count and the deadline; filters go into the query', async () => {
    const b = fakeBackend({
      'user.me': staff,
      'user.grids': () => ({ items: [] }),
      'cases.queue': () => ({ items: [messageSummary({ id: 'q1', unread: 1, overdue: true, urgency: 'urgent' }), messageSummary({ id: 'q2' })], nextCursor: null }),
    })
    const r = render(<MessageInboxView />)
    await waitFor(() => expect(qa(r, '.case-card')).toHaveLength(2))
    expect(b.calls('cases.queue')[0]).toEqual(expect.objectContaining({ kind: 'message', status: 'open', overdueOnly: false }))
    const first = qa(r, '.case-card')[0]
    expect(first.classList.contains('case-card--overdue')).toBe(true)
    expect(text(first.querySelector('.case-card__unread'))).toBe('1')
    expect(text(first.querySelector('.case-card__urgent'))).toContain('水电气暖紧急')
    expect(text(first.querySelector('.case-card__due'))).toContain('前答复')
    expect(qa(r, '.status-chip').map(text)).toEqual(['待处理', '待受理', '待补充', '已解决', '已办结'])
    await waitFor(() => expect(q(r, '.handler-link--templates')).not.toBeNull())

    fireEvent.click(q(r, '.status-chip-2')!)
    await waitFor(() => expect(b.calls('cases.queue')).toHaveLength(2))
    expect(b.calls('cases.queue')[1]).toEqual(expect.objectContaining({ kind: 'message', status: 'waiting_info' }))

    await act(async () => {
      q(r, '.category-picker')!.closest('taro-picker-core')!.dispatchEvent(new CustomEvent('change', { detail: { value: 4 } }))
    })
    await waitFor(() => expect(b.calls('cases.queue')).toHaveLength(3))
    expect(b.calls('cases.queue')[2]).toEqual(expect.objectContaining({ category: '报修' }))

    fireEvent.click(q(r, '.overdue-switch')!)
    await waitFor(() => expect(b.calls('cases.queue')).toHaveLength(4))
    expect(b.calls('cases.queue')[3]).toEqual(expect.objectContaining({ overdueOnly: true, category: '报修', status: 'waiting_info' }))
  })

  it('a person without the right reads 没有权限 (no 重试)', async () => {
    fakeBackend({ 'user.me': resident, 'cases.queue': () => fail('FORBIDDEN', '只有网格员和社区工作人员可以办理留言') })
    const r = render(<MessageInboxView />)
    await waitFor(() => expect(q(r, '.ui-pw--forbidden')).not.toBeNull())
    expect(text(r.container)).toContain('只有网格员和社区工作人员可以办理留言')
    expect(text(r.container)).not.toContain('重试')
  })
})

describe('常用回复', () => {
  it('lists, creates (title ≤ 20, text required), edits and deletes', async () => {
    let items = [{ id: 't1', title: '路灯报修', text: '已通知物业维修路灯。', updatedAt: '2026-11-20T02:00:00.000Z' }]
    const b = fakeBackend({
      'user.me': staff,
      'cases.templates': () => ({ items }),
      'cases.saveTemplate': (p: { id?: string; title: string; text: string }) => {
        const t = { id: p.id ?? 't2', title: p.title, text: p.text, updatedAt: '2026-11-24T02:00:00.000Z' }
        items = p.id ? items.map((x) => (x.id === p.id ? t : x)) : [...items, t]
        return t
      },
      'cases.deleteTemplate': (p: { id: string }) => {
        items = items.filter((x) => x.id !== p.id)
        return { ok: true }
      },
    })
    const modal = jest.spyOn(Taro, 'showModal').mockImplementation(() => Promise.resolve({ confirm: true, cancel: false, errMsg: 'showModal:ok' }))
    const r = render(<MessageTemplatesView />)
    await waitFor(() => expect(qa(r, '.template-card')).toHaveLength(1))

    // New: both fields checked on the phone first.
    await tap(r, '.ui-bottom-bar .template-new-btn')
    await typeInto(r, '.template-title-input input', '标'.repeat(21))
    await tap(r, '.template-save')
    await waitFor(() => expect(text(q(r, '.template-title-field .ui-field__error'))).toBe('最多 20 个字'))
    expect(text(q(r, '.template-text-field .ui-field__error'))).toBe('请填写回复内容')
    expect(b.calls('cases.saveTemplate')).toEqual([])
    await typeInto(r, '.template-title-input input', '感谢建议')
    await typeInto(r, '.template-textarea textarea', '感谢您的建议，我们会认真研究。')
    await tap(r, '.template-save')
    await waitFor(() => expect(qa(r, '.template-card')).toHaveLength(2))
    expect(b.calls('cases.saveTemplate')[0]).toEqual({ title: '感谢建议', text: '感谢您的建议，我们会认真研究。' })
    expect(toasts()).toContain('已新建常用回复')

    // Edit: the id travels.
    fireEvent.click(qa(r, '.template-edit')[0])
    await typeInto(r, '.template-textarea textarea', '已通知物业，两天内修复。')
    await tap(r, '.template-save')
    await waitFor(() => expect(b.calls('cases.saveTemplate')).toHaveLength(2))
    expect(b.calls('cases.saveTemplate')[1]).toEqual({ id: 't1', title: '路灯报修', text: '已通知物业，两天内修复。' })
    await waitFor(() => expect(text(qa(r, '.template-card')[0])).toContain('两天内修复'))

    // Delete, after confirming.
    await tap(r, '.template-delete')
    await waitFor(() => expect(qa(r, '.template-card')).toHaveLength(1))
    expect(modal).toHaveBeenCalled()
    expect(b.calls('cases.deleteTemplate')).toEqual([{ id: 't1' }])
    expect(toasts()).toContain('已删除')
  })
})

describe('留言墙', () => {
  it('shows the redacted text and the community reply, newest first as the server sends them', async () => {
    fakeBackend({ 'user.me': resident, 'cases.wall': () => ({ items: [wallItem(), wallItem({ id: 'ms-2', category: '建议', text: '建议增加快递柜', reply: null })], nextCursor: null }) })
    const r = render(<MessageWallView />)
    await waitFor(() => expect(qa(r, '.wall-card')).toHaveLength(2))
    const [a, b] = qa(r, '.wall-card')
    expect(text(a.querySelector('.wall-card__text'))).toContain('【电话已隐藏】')
    expect(text(a)).not.toContain('13812345678')
    expect(text(a.querySelector('.wall-card__reply'))).toContain('社区回复')
    expect(text(a.querySelector('.wall-card__reply'))).toContain('已联系物业，今天下午修复。')
    expect(text(b.querySelector('.wall-card__no-reply'))).toBe('社区正在办理')
  })

  it('empty: says there is nothing yet', async () => {
    fakeBackend({ 'user.me': resident, 'cases.wall': () => ({ items: [], nextCursor: null }) })
    const r = render(<MessageWallView />)
    await waitFor(() => expect(text(r.container)).toContain('留言墙还没有公开的留言'))
  })
})

describe('entry', () => {
  it('the 居民留言 service entry opens 我的留言', () => {
    openEntry(FEATURE_ENTRIES.find((e) => e.key === 'message')!)
    expect(nav).toHaveBeenCalledWith({ url: '/packages/message/pages/mine/index' })
  })
})
