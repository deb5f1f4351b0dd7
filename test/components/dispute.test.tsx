/**
 * The dispute pages in jsdom, against a fake backend behind the real client gateway
 * (`setTransport`): what a resident and a mediator see and what reaches the backend.
 */
import Taro from '@tarojs/taro'
import { act, fireEvent, render, waitFor, type RenderResult } from '@testing-library/react'
import { setTransport } from '@/services/gateway'
import { setSession } from '@/services/session'
import { uploadPhoto } from '@/services/upload'
import { DisputeNewView } from '@/packages/dispute/pages/new/index'
import { DisputeDetailView } from '@/packages/dispute/pages/detail/index'
import { DisputeMineView } from '@/packages/dispute/pages/mine/index'
import { DisputeQueueView } from '@/packages/dispute/pages/queue/index'
import { CaseStatsView } from '@/packages/dispute/pages/stats/index'
import { FEATURE_ENTRIES, openEntry } from '@/features/entries'
import { addMonths, currentMonth } from '@/features/cases/format'
import { demoDetail, demoProfile, demoSummary, entry, fakeBackend, ok, residentAnswers, type Answer } from '../support/dispute-fixtures'
import { picked, q, qa, text, typeInto, watchScrolls } from '../support/dom'

jest.mock('@/services/upload', () => ({
  uploadPhoto: jest.fn(async (path: string) => `local://u/demo-res-sun/${path.replace(/\W/g, '')}.png`),
}))

let toast: jest.SpyInstance
beforeEach(() => {
  setSession(null)
  toast = jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
})
afterEach(() => {
  jest.restoreAllMocks()
})

function backend(answers: Record<string, Answer> = {}) {
  const b = fakeBackend({ ...residentAnswers(), ...answers })
  setTransport(b.handle)
  return b
}

async function openForm(): Promise<RenderResult> {
  const r = render(<DisputeNewView />)
  await waitFor(() => expect(q(r, '.field-category')).not.toBeNull())
  return r
}

/** Types into the description (Taro's Textarea renders its inner <textarea> a moment after mount). */
async function typeDescription(r: RenderResult, value: string) {
  await waitFor(() => expect(q(r, '.description-input textarea')).not.toBeNull())
  await typeInto(r, '.description-input textarea', value)
}

describe('submit form', () => {
  it('preselects the resident’s own building and unit', async () => {
    backend()
    const r = await openForm()
    expect(text(q(r, '.building-picker'))).toContain('1栋')
    expect(text(q(r, '.unit-picker'))).toContain('1单元')
    expect(text(q(r, '.field-location'))).toContain('翠园小区')
  })

  it('501 characters: the counter turns red and submit shows the inline error without calling the backend', async () => {
    const b = backend({ 'cases.submit': () => ok(demoDetail()) })
    const r = await openForm()
    fireEvent.click(q(r, '.category-chip-0')!)
    await typeDescription(r, '吵'.repeat(501))
    expect(text(q(r, '.counter'))).toBe('501/500')
    expect(q(r, '.counter--over')).not.toBeNull()

    fireEvent.click(q(r, '.submit-btn')!)
    await waitFor(() => expect(text(q(r, '.field-description .ui-field__error'))).toBe('最多 500 个字'))
    expect(b.callsOf('cases')).toEqual([])

    // 500 is fine.
    await typeDescription(r, '吵'.repeat(500))
    expect(q(r, '.field-description .ui-field__error')).toBeNull()
  })

  it('a 7th photo cannot be added: chooseMedia asks only for what is left and extra picks are dropped', async () => {
    backend()
    const choose = jest
      .spyOn(Taro, 'chooseMedia')
      .mockResolvedValueOnce(picked('blob:a1', 'blob:a2', 'blob:a3', 'blob:a4'))
      .mockResolvedValueOnce(picked('blob:b1', 'blob:b2', 'blob:b3'))
    const r = await openForm()

    fireEvent.click(q(r, '.photo-add')!)
    await waitFor(() => expect(qa(r, '.photo--done')).toHaveLength(4))
    expect(choose.mock.calls[0][0]).toEqual(expect.objectContaining({ count: 6 }))
    expect(text(q(r, '.photo-add'))).toContain('4/6')

    fireEvent.click(q(r, '.photo-add')!)
    await waitFor(() => expect(qa(r, '.photo--done')).toHaveLength(6))
    expect(choose.mock.calls[1][0]).toEqual(expect.objectContaining({ count: 2 }))
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '最多上传 6 张，多出的 1 张未添加' }))
    expect(uploadPhoto).toHaveBeenCalledTimes(6)
    // Full: the add tile is gone, so there is no way to pick a 7th.
    expect(q(r, '.photo-add')).toBeNull()

    // Removing one brings the tile back.
    fireEvent.click(q(r, '.photo__remove')!)
    expect(qa(r, '.photo')).toHaveLength(6) // 5 photos + the add tile
    expect(text(q(r, '.photo-add'))).toContain('5/6')
  })

  it('a server INVALID_INPUT on location.buildingId shows beside the location field, is toasted and scrolled to', async () => {
    const scrolls = watchScrolls()
    const b = backend({
      'cases.submit': () => ({
        ok: false,
        error: { code: 'INVALID_INPUT', message: '请选择本社区的楼栋', issues: [{ path: 'location.buildingId', message: '请选择本社区的楼栋' }] },
      }),
    })
    const r = await openForm()
    fireEvent.click(q(r, '.category-chip-1')!)
    await typeDescription(r, '楼上卫生间漏水到我家天花板')
    fireEvent.click(q(r, '.submit-btn')!)
    await waitFor(() => expect(text(q(r, '.field-location .ui-field__error'))).toBe('请选择本社区的楼栋'))
    const [sent] = b.callsOf('cases', 'submit')
    expect(sent.payload).toEqual(
      expect.objectContaining({ kind: 'dispute', category: '漏水', location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' }, urgency: 'normal' }),
    )
    expect(sent.requestId).toMatch(/^[a-z0-9]+$/)
    expect(q(r, '.field-description .ui-field__error')).toBeNull()
    // Where the eye is: the message as a toast, and the page brought to the field.
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '请选择本社区的楼栋' }))
    await waitFor(() => expect(scrolls.targets[0]?.classList.contains('field-location')).toBe(true))
    scrolls.restore()
  })

  it('success shows what happens next and by when, with 查看进度 / 返回首页; a retry reuses the same request id', async () => {
    let first = true
    const b = backend({
      'cases.submit': () => {
        if (first) {
          first = false
          return { ok: false, error: { code: 'INTERNAL', message: '系统开小差了，请稍后再试' } }
        }
        return ok(demoDetail({ id: 'case-new', status: 'submitted', statusLabel: '待受理', assigneeName: null, can: ['withdraw'] }))
      },
    })
    const redirect = jest.spyOn(Taro, 'redirectTo').mockImplementation(() => Promise.resolve({ errMsg: 'redirectTo:ok' }))
    const r = await openForm()
    fireEvent.click(q(r, '.category-chip-0')!)
    fireEvent.click(q(r, '.urgency-chip-1')!)
    expect(text(q(r, '.urgency-hint'))).toContain('2 小时内受理')
    await typeDescription(r, '楼上每晚十一点后还在装修')
    fireEvent.click(q(r, '.submit-btn')!)
    await waitFor(() => expect(text(q(r, '.submit-error'))).toBe('系统开小差了，请稍后再试'))
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '系统开小差了，请稍后再试' }))
    fireEvent.click(q(r, '.submit-btn')!)
    await waitFor(() => expect(text(q(r, '.ui-done__title'))).toBe('纠纷已提交'))
    expect(text(q(r, '.ui-done__next'))).toBe('翠湖第一网格的调解员将在 11月30日 10:00 前受理')
    expect(redirect).not.toHaveBeenCalled()
    const switchTab = jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'switchTab:ok' }))
    fireEvent.click(q(r, '.ui-done__home')!)
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
    fireEvent.click(q(r, '.ui-done__detail')!)
    expect(redirect).toHaveBeenCalledWith({ url: '/packages/dispute/pages/detail/index?id=case-new' })
    const [a, c] = b.callsOf('cases', 'submit')
    expect(a.requestId).toBe(c.requestId)
    expect(c.payload.urgency).toBe('urgent')
  })

  it('a person without an address is sent to 完善住址', async () => {
    backend({ 'user.me': () => ok({ openid: 'visitor-1', profile: null }) })
    const r = render(<DisputeNewView />)
    await waitFor(() => expect(text(r.container)).toContain('请先完善住址'))
    expect(q(r, '.ui-pw__onboard')).not.toBeNull()
  })
})

describe('detail page', () => {
  it('renders the timeline entries (newest first) with who, status change and note', async () => {
    backend({ 'cases.get': () => ok(demoDetail()) })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(q(r, '.timeline')).not.toBeNull())
    const items = qa(r, '.tl-item')
    expect(items.map((i) => text(i.querySelector('.tl-item__label')))).toEqual(['调解成功', '受理', '提交'])
    expect(text(items[0])).toContain('张伟 · 网格员')
    expect(text(items[0])).toContain('已受理 → 已调解')
    expect(text(items[0])).toContain('楼上住户承诺每晚 22:00 后不再施工')
    expect(text(items[0])).toContain('2026年11月24日 16:30') // 08:30 UTC in Shanghai
    expect(text(items[2])).toContain('待受理')
  })

  it('a resident with can=[rate] sees 评价 and no handler buttons', async () => {
    backend({ 'cases.get': () => ok(demoDetail({ can: ['rate'] })) })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(q(r, '.case-actions')).not.toBeNull())
    const buttons = qa(r, '.case-action')
    expect(buttons.map(text)).toEqual(['评价'])
    expect(q(r, '.case-action--accept')).toBeNull()
  })

  it('a handler sees exactly the buttons in can', async () => {
    const can = ['accept', 'escalate', 'addNote', 'reassign']
    backend({
      'cases.get': () =>
        ok(
          demoDetail({
            status: 'submitted',
            statusLabel: '待受理',
            can,
            viewerRole: 'handler',
            otherParty: '翠园小区 1栋 2单元 1302',
            timeline: [entry('submit', '提交', { to: 'submitted' }), entry('note', '备注', { byName: '李秀梅', byRole: '社区工作者', note: '已电话联系', private: true })],
          }),
        ),
    })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(q(r, '.case-actions')).not.toBeNull())
    expect(qa(r, '.case-action').map(text)).toEqual(['受理', '上报', '添加备注', '转办'])
    expect(q(r, '.case-action--rate')).toBeNull()
    expect(text(q(r, '.info-row--other'))).toContain('1302')
    expect(text(q(r, '.tl-item--private'))).toContain('仅工作人员可见')
  })

  it('评价: the sheet needs a choice, then sends it with the shown version', async () => {
    const b = backend({
      'cases.get': () => ok(demoDetail()),
      'cases.rate': () => ok(demoDetail({ status: 'closed', statusLabel: '已办结', satisfaction: 'satisfied', can: [] })),
    })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(q(r, '.case-action--rate')).not.toBeNull())
    fireEvent.click(q(r, '.case-action--rate')!)
    expect(text(q(r, '.action-sheet'))).toContain('选择「不满意」将重新调解一次')
    fireEvent.click(q(r, '.sheet-confirm')!)
    await waitFor(() => expect(text(q(r, '.sheet-rating .ui-field__error'))).toBe('请选择满意度'))
    expect(b.callsOf('cases', 'rate')).toEqual([])

    fireEvent.click(q(r, '.rating-chip-0')!)
    fireEvent.click(q(r, '.sheet-confirm')!)
    await waitFor(() => expect(q(r, '.action-sheet')).toBeNull())
    expect(b.callsOf('cases', 'rate')[0].payload).toEqual({ id: 'case-1', version: 4, satisfaction: 'satisfied' })
    expect(text(q(r, '.case-head__status'))).toBe('已办结')
    expect(text(q(r, '.case-result'))).toContain('满意')
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '感谢您的评价' }))
  })

  it('each action ends with its own written-out message (never "调解成功成功")', async () => {
    backend({
      'cases.get': () => ok(demoDetail({ status: 'mediating', statusLabel: '调解中', can: ['resolve', 'fail'], viewerRole: 'handler', agreement: null })),
      'cases.resolve': () => ok(demoDetail({ can: [] })),
    })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(q(r, '.case-action--resolve')).not.toBeNull())
    fireEvent.click(q(r, '.case-action--resolve')!)
    await typeInto(r, '.sheet-textarea textarea', '双方同意错峰停车')
    await act(async () => {
      fireEvent.click(q(r, '.sheet-confirm')!)
    })
    await waitFor(() => expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '已记录调解结果' })))
    expect(toast.mock.calls.map((c) => c[0].title)).not.toContain('调解成功成功')
  })

  it('a withdrawn dispute shows no 承办人', async () => {
    backend({ 'cases.get': () => ok(demoDetail({ status: 'withdrawn', statusLabel: '已撤回', can: [], assigneeName: '张伟', agreement: null })) })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(q(r, '.case-info')).not.toBeNull())
    expect(text(q(r, '.case-info'))).not.toContain('承办人')
    expect(text(q(r, '.case-info'))).not.toContain('张伟')
  })

  it('a case the viewer may not see reads 没有权限, without 重试', async () => {
    backend({ 'cases.get': () => ({ ok: false, error: { code: 'FORBIDDEN', message: '您没有权限查看该纠纷' } }) })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(text(r.container)).toContain('没有权限'))
    expect(text(r.container)).toContain('您没有权限查看该纠纷')
    expect(text(r.container)).not.toContain('重试')
  })

  it('调解成功 needs the agreement text (inline); CONFLICT says 已被他人处理 and reloads', async () => {
    let gets = 0
    const b = backend({
      'cases.get': () => {
        gets++
        return ok(demoDetail({ status: 'mediating', statusLabel: '调解中', can: ['resolve', 'fail', 'addNote'], viewerRole: 'handler', agreement: null }))
      },
      'cases.resolve': () => ({ ok: false, error: { code: 'CONFLICT', message: '该事项已被他人处理，请刷新后查看最新状态' } }),
    })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(q(r, '.case-action--resolve')).not.toBeNull())
    fireEvent.click(q(r, '.case-action--resolve')!)
    fireEvent.click(q(r, '.sheet-confirm')!)
    await waitFor(() => expect(text(q(r, '.sheet-text .ui-field__error'))).toBe('请填写调解协议'))
    expect(b.callsOf('cases', 'resolve')).toEqual([])

    await typeInto(r, '.sheet-textarea textarea', '双方同意错峰停车')
    await act(async () => {
      fireEvent.click(q(r, '.sheet-confirm')!)
    })
    await waitFor(() => expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '已被他人处理，已刷新' })))
    await waitFor(() => expect(gets).toBe(2))
    expect(q(r, '.action-sheet')).toBeNull()
    expect(b.callsOf('cases', 'resolve')[0].payload).toEqual({ id: 'case-1', version: 4, agreement: '双方同意错峰停车' })
  })
})

describe('转办 (staff)', () => {
  const GRIDS = [
    { id: 'g-cuihu-1', name: '翠湖第一网格', workerCount: 1, mine: false },
    { id: 'g-cuihu-2', name: '翠湖第二网格', workerCount: 2, mine: false },
    { id: 'g-cuihu-3', name: '翠湖第三网格', workerCount: 0, mine: false },
  ]
  const staffCase = () =>
    demoDetail({ status: 'submitted', statusLabel: '待受理', can: ['accept', 'addNote', 'reassign'], viewerRole: 'handler', agreement: null, assigneeName: null })

  async function openReassign(r: RenderResult) {
    await waitFor(() => expect(q(r, '.case-action--reassign')).not.toBeNull())
    fireEvent.click(q(r, '.case-action--reassign')!)
    await waitFor(() => expect(qa(r, '.target-chip')).toHaveLength(4))
    await waitFor(() => expect(q(r, '.sheet-textarea textarea')).not.toBeNull())
  }

  it('lists the community’s grids (none without 网格员 selectable) and 转回社区; sends the chosen grid with the note', async () => {
    const b = backend({
      'cases.get': () => ok(staffCase()),
      'user.grids': () => ok({ items: GRIDS }),
      'cases.reassign': () => ok(staffCase()),
    })
    const r = render(<DisputeDetailView id='case-1' />)
    await openReassign(r)
    const chips = qa(r, '.target-chip')
    expect(chips.map((c) => text(c.querySelector('.chip__label')))).toEqual(['翠湖第一网格', '翠湖第二网格', '翠湖第三网格', '转回社区'])
    expect(text(chips[2].querySelector('.chip__note'))).toBe('暂无网格员')
    expect(chips.map((c) => c.classList.contains('chip--disabled'))).toEqual([false, false, true, false])

    // Nothing chosen and no note: both asked for inline, nothing sent.
    fireEvent.click(q(r, '.sheet-confirm')!)
    await waitFor(() => expect(text(q(r, '.sheet-target .ui-field__error'))).toBe('请选择转办去向'))
    expect(text(q(r, '.sheet-text .ui-field__error'))).toBe('请填写转办说明')

    // The grid without 网格员 cannot be picked.
    fireEvent.click(chips[2])
    expect(q(r, '.target-chip.chip--on')).toBeNull()

    fireEvent.click(chips[1])
    expect(text(q(r, '.target-chip.chip--on'))).toBe('翠湖第二网格')
    await typeInto(r, '.sheet-textarea textarea', '该楼栋属于第二网格')
    await act(async () => {
      fireEvent.click(q(r, '.sheet-confirm')!)
    })
    await waitFor(() => expect(q(r, '.action-sheet')).toBeNull())
    expect(b.callsOf('cases', 'reassign').map((c) => c.payload)).toEqual([{ id: 'case-1', version: 4, gridId: 'g-cuihu-2', note: '该楼栋属于第二网格' }])
  })

  it('转回社区 sends gridId null', async () => {
    const b = backend({
      'cases.get': () => ok(staffCase()),
      'user.grids': () => ok({ items: GRIDS }),
      'cases.reassign': () => ok(staffCase()),
    })
    const r = render(<DisputeDetailView id='case-1' />)
    await openReassign(r)
    fireEvent.click(q(r, '.target-chip-3')!)
    await typeInto(r, '.sheet-textarea textarea', '需社区协调物业')
    await act(async () => {
      fireEvent.click(q(r, '.sheet-confirm')!)
    })
    await waitFor(() => expect(b.callsOf('cases', 'reassign')).toHaveLength(1))
    expect(b.callsOf('cases', 'reassign')[0].payload).toEqual({ id: 'case-1', version: 4, gridId: null, note: '需社区协调物业' })
  })

  it('a refusal (the grid has just lost its 网格员) stays in the sheet and the grids are refreshed', async () => {
    let grids = GRIDS
    const b = backend({
      'cases.get': () => ok(staffCase()),
      'user.grids': () => ok({ items: grids }),
      'cases.reassign': () => {
        grids = GRIDS.map((g) => (g.id === 'g-cuihu-1' ? { ...g, workerCount: 0 } : g))
        return { ok: false, error: { code: 'PRECONDITION_FAILED', message: '该网格暂无网格员，不能转办' } }
      },
    })
    const r = render(<DisputeDetailView id='case-1' />)
    await openReassign(r)
    fireEvent.click(q(r, '.target-chip-0')!)
    await typeInto(r, '.sheet-textarea textarea', '转第一网格')
    await act(async () => {
      fireEvent.click(q(r, '.sheet-confirm')!)
    })
    await waitFor(() => expect(text(q(r, '.sheet-error'))).toBe('该网格暂无网格员，不能转办'))
    await waitFor(() => expect(q(r, '.target-chip-0.chip--disabled')).not.toBeNull())
    expect(b.callsOf('user', 'grids')).toHaveLength(2)
    expect(q(r, '.action-sheet')).not.toBeNull()
    // Editing the note keeps the server's message.
    await typeInto(r, '.sheet-textarea textarea', '转第一网格办理')
    expect(text(q(r, '.sheet-error'))).toBe('该网格暂无网格员，不能转办')
    // The refused grid is now disabled: trying again is stopped before the server.
    fireEvent.click(q(r, '.sheet-confirm')!)
    await waitFor(() => expect(text(q(r, '.sheet-target .ui-field__error'))).toBe('该网格暂无网格员，请选择其他网格'))
    expect(b.callsOf('cases', 'reassign')).toHaveLength(1)
  })

  it('without the grid list, 转回社区 is still offered', async () => {
    backend({ 'cases.get': () => ok(staffCase()), 'user.grids': () => ({ ok: false, error: { code: 'INTERNAL', message: '系统开小差了' } }) })
    const r = render(<DisputeDetailView id='case-1' />)
    await waitFor(() => expect(q(r, '.case-action--reassign')).not.toBeNull())
    fireEvent.click(q(r, '.case-action--reassign')!)
    await waitFor(() => expect(text(q(r, '.sheet-target'))).toContain('网格列表加载失败'))
    expect(qa(r, '.target-chip').map(text)).toEqual(['转回社区'])
  })
})

describe('mine page', () => {
  it('lists my disputes with status and deadline; handlers get 待办纠纷 and staff 统计', async () => {
    backend({
      'user.me': () => ok({ openid: 'demo-staff-li', profile: demoProfile({ openid: 'demo-staff-li', roles: ['resident', 'staff'] }) }),
      'cases.mine': () =>
        ok({
          items: [
            demoSummary({ id: 'a', status: 'submitted', statusLabel: '待受理', dueAt: '2026-11-24T02:00:00.000Z', overdue: true }),
            demoSummary({ id: 'b', status: 'closed', statusLabel: '已办结', dueAt: null }),
          ],
          nextCursor: null,
        }),
    })
    const r = render(<DisputeMineView />)
    await waitFor(() => expect(qa(r, '.case-card')).toHaveLength(2))
    const [a, b] = qa(r, '.case-card')
    expect(text(a.querySelector('.ui-tag--warning'))).toBe('待受理')
    expect(text(a.querySelector('.case-card__due--overdue'))).toBe('已超期 · 11月24日 10:00 前受理')
    expect(text(b.querySelector('.ui-tag--muted'))).toBe('已办结')
    expect(b.querySelector('.case-card__due')).toBeNull()
    expect(q(r, '.handler-link--queue')).not.toBeNull()
    expect(q(r, '.handler-link--stats')).not.toBeNull()
  })

  it('a visitor without an address: the server’s NOT_ONBOARDED reads 尚未完善住址 with 去完善住址, not 加载失败', async () => {
    backend({
      'user.me': () => ok({ openid: 'visitor-1', profile: null }),
      'cases.mine': () => ({ ok: false, error: { code: 'NOT_ONBOARDED', message: '请先完成入驻：选择您所在的社区、小区和楼栋' } }),
    })
    const nav = jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
    const r = render(<DisputeMineView />)
    await waitFor(() => expect(text(q(r, '.ui-pw--no-address'))).toContain('尚未完善住址'))
    expect(text(r.container)).not.toContain('加载失败')
    expect(q(r, '.ui-pw__retry')).toBeNull()
    expect(q(r, '.case-new-btn')).toBeNull()
    fireEvent.click(q(r, '.ui-pw__onboard')!)
    expect(nav).toHaveBeenCalledWith({ url: '/packages/onboarding/pages/index/index' })
  })

  it('a resident sees no handler links; an empty list offers 提交纠纷', async () => {
    backend({ 'cases.mine': () => ok({ items: [], nextCursor: null }) })
    const nav = jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
    const r = render(<DisputeMineView />)
    await waitFor(() => expect(text(r.container)).toContain('您还没有提交过纠纷'))
    expect(q(r, '.handler-links')).toBeNull()
    fireEvent.click(q(r, '.empty-new-btn')!)
    expect(nav).toHaveBeenCalledWith({ url: '/packages/dispute/pages/new/index' })
  })
})

describe('queue page', () => {
  it('loads open cases first; the status chips and 只看超期 filter the query', async () => {
    const b = backend({
      'user.me': () => ok({ openid: 'demo-grid-zhang', profile: demoProfile({ openid: 'demo-grid-zhang', roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1'] }) }),
      'cases.queue': () => ok({ items: [demoSummary({ id: 'q1', status: 'submitted', statusLabel: '待受理', overdue: true })], nextCursor: null }),
    })
    const r = render(<DisputeQueueView />)
    await waitFor(() => expect(qa(r, '.case-card')).toHaveLength(1))
    expect(q(r, '.case-card--overdue')).not.toBeNull()
    expect(text(q(r, '.case-card__meta'))).toContain('翠湖第一网格')
    expect(b.callsOf('cases', 'queue')[0].payload).toEqual(expect.objectContaining({ status: 'open', overdueOnly: false }))
    expect(b.callsOf('cases', 'queue')[0].payload.category).toBeUndefined()

    fireEvent.click(q(r, '.status-chip-1')!)
    await waitFor(() => expect(b.callsOf('cases', 'queue')).toHaveLength(2))
    expect(b.callsOf('cases', 'queue')[1].payload).toEqual(expect.objectContaining({ status: 'submitted' }))

    fireEvent.click(q(r, '.overdue-switch')!)
    await waitFor(() => expect(b.callsOf('cases', 'queue')).toHaveLength(3))
    expect(b.callsOf('cases', 'queue')[2].payload).toEqual(expect.objectContaining({ status: 'submitted', overdueOnly: true }))
  })
})

describe('queue page: 网格 filter', () => {
  const GRIDS = [
    { id: 'g-cuihu-1', name: '翠湖第一网格', workerCount: 1, mine: true },
    { id: 'g-cuihu-2', name: '翠湖第二网格', workerCount: 1, mine: true },
    { id: 'g-cuihu-3', name: '翠湖第三网格', workerCount: 0, mine: false },
  ]
  /** Chooses row `index` of the picker around `selector` (what the H5 picker reports on 确定). */
  const pick = (r: RenderResult, selector: string, index: number) =>
    act(() => {
      q(r, selector)!.closest('taro-picker-core')!.dispatchEvent(new CustomEvent('change', { detail: { value: index } }))
    })
  const queueAnswer = () => ok({ items: [demoSummary({ id: 'q1', status: 'submitted', statusLabel: '待受理' })], nextCursor: null })

  it('staff pick any grid of the community: the query carries gridId; 全部网格 drops it', async () => {
    const b = backend({
      'user.me': () => ok({ openid: 'demo-staff-li', profile: demoProfile({ openid: 'demo-staff-li', roles: ['resident', 'staff'] }) }),
      'user.grids': () => ok({ items: GRIDS }),
      'cases.queue': queueAnswer,
    })
    const r = render(<DisputeQueueView />)
    await waitFor(() => expect(q(r, '.grid-picker')).not.toBeNull())
    await waitFor(() => expect(qa(r, '.case-card')).toHaveLength(1))
    expect(text(q(r, '.grid-picker'))).toContain('全部网格')
    expect(b.callsOf('cases', 'queue')[0].payload.gridId).toBeUndefined()

    await pick(r, '.grid-picker', 3)
    await waitFor(() => expect(b.callsOf('cases', 'queue')).toHaveLength(2))
    expect(b.callsOf('cases', 'queue')[1].payload).toEqual(expect.objectContaining({ status: 'open', gridId: 'g-cuihu-3' }))
    expect(text(q(r, '.grid-picker'))).toContain('翠湖第三网格')

    // Other filters keep the grid.
    fireEvent.click(q(r, '.overdue-switch')!)
    await waitFor(() => expect(b.callsOf('cases', 'queue')).toHaveLength(3))
    expect(b.callsOf('cases', 'queue')[2].payload).toEqual(expect.objectContaining({ gridId: 'g-cuihu-3', overdueOnly: true }))

    await pick(r, '.grid-picker', 0)
    await waitFor(() => expect(b.callsOf('cases', 'queue')).toHaveLength(4))
    expect(b.callsOf('cases', 'queue')[3].payload.gridId).toBeUndefined()
    expect(text(q(r, '.grid-picker'))).toContain('全部网格')
  })

  it('a grid worker with several grids picks among their own only', async () => {
    const b = backend({
      'user.me': () =>
        ok({ openid: 'demo-grid-zhang', profile: demoProfile({ openid: 'demo-grid-zhang', roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1', 'g-cuihu-2'] }) }),
      'user.grids': () => ok({ items: GRIDS }),
      'cases.queue': queueAnswer,
    })
    const r = render(<DisputeQueueView />)
    await waitFor(() => expect(q(r, '.grid-picker')).not.toBeNull())
    const picker = q(r, '.grid-picker')!.closest('taro-picker-core') as HTMLElement & { range?: string[] }
    expect(picker.range).toEqual(['全部网格', '翠湖第一网格', '翠湖第二网格'])
    await pick(r, '.grid-picker', 2)
    await waitFor(() => expect(b.callsOf('cases', 'queue').at(-1)!.payload.gridId).toBe('g-cuihu-2'))
  })

  it('a grid worker with one grid gets no grid filter', async () => {
    const b = backend({
      'user.me': () => ok({ openid: 'demo-grid-zhang', profile: demoProfile({ openid: 'demo-grid-zhang', roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1'] }) }),
      'user.grids': () => ok({ items: GRIDS.map((g) => ({ ...g, mine: g.id === 'g-cuihu-1' })) }),
      'cases.queue': queueAnswer,
    })
    const r = render(<DisputeQueueView />)
    await waitFor(() => expect(b.callsOf('user', 'grids')).toHaveLength(1))
    await waitFor(() => expect(qa(r, '.case-card')).toHaveLength(1))
    expect(q(r, '.grid-picker')).toBeNull()
  })
})

describe('stats page', () => {
  it('shows the month’s four figures and per-category bars; ‹ goes to the previous month', async () => {
    const row = (received: number, onTimeRate: number | null) => ({
      received,
      acceptedOnTime: received,
      accepted: received,
      resolved: received,
      failed: 0,
      rated: received,
      satisfied: received,
      routed: 0,
      resolvedOnTime: 0,
      resolveOnTimeRate: null,
      onTimeRate,
      successRate: onTimeRate,
      satisfactionRate: onTimeRate,
    })
    const b = backend({
      'cases.stats': (p: { month: string }) =>
        ok({
          month: p.month,
          total: { ...row(4, 75), successRate: 66.7 },
          byCategory: [
            { key: '噪音', row: row(3, 100) },
            { key: '漏水', row: row(1, null) },
          ],
          byGrid: [{ key: 'g-cuihu-1', name: '翠湖第一网格', row: row(4, 75) }],
          byStaff: [],
          byCommunity: [],
          byDepartment: [],
        }),
    })
    const r = render(<CaseStatsView />)
    await waitFor(() => expect(qa(r, '.figure__value').map(text)).toEqual(['4', '75%', '66.7%', '75%']))
    expect(b.callsOf('cases', 'stats')[0].payload).toEqual({ kind: 'dispute', month: currentMonth() })
    const bars = qa(r, '.stats-by-category .bar-row')
    expect(bars.map((el) => text(el.querySelector('.bar-row__name')))).toEqual(['噪音', '漏水'])
    expect((bars[0].querySelector('.bar-row__fill') as HTMLElement).style.width).toBe('100%')
    expect(text(bars[1])).toContain('按期受理 —')
    expect(text(q(r, '.stats-by-grid'))).toContain('翠湖第一网格')

    fireEvent.click(q(r, '.month-prev')!)
    await waitFor(() => expect(b.callsOf('cases', 'stats')).toHaveLength(2))
    expect(b.callsOf('cases', 'stats')[1].payload.month).toBe(addMonths(currentMonth(), -1))
    // The current month is the latest: › does nothing there.
    fireEvent.click(q(r, '.month-next')!)
    fireEvent.click(q(r, '.month-next')!)
    await waitFor(() => expect(b.callsOf('cases', 'stats')).toHaveLength(3))
    expect(b.callsOf('cases', 'stats')[2].payload.month).toBe(currentMonth())
  })

  const someRow = (received: number, rate: number | null) => ({
    received,
    acceptedOnTime: received,
    accepted: received,
    resolved: received,
    failed: 0,
    rated: received,
    satisfied: received,
    routed: 0,
    resolvedOnTime: 0,
    resolveOnTimeRate: null,
    onTimeRate: rate,
    successRate: rate,
    satisfactionRate: rate,
  })

  it('messages: the 三率 by their names, and the figures per staff member', async () => {
    const b = backend({
      'cases.stats': (p: { month: string }) =>
        ok({
          month: p.month,
          total: someRow(5, 80),
          byCategory: [{ key: '咨询', row: someRow(5, 80) }],
          byGrid: [],
          byStaff: [{ key: 'demo-grid-zhang', name: '张伟', row: someRow(3, 100) }],
          byCommunity: [],
          byDepartment: [],
        }),
    })
    const r = render(<CaseStatsView kind='message' />)
    await waitFor(() => expect(qa(r, '.figure__label').map(text)).toEqual(['留言量', '响应率', '解决率', '满意率']))
    expect(b.callsOf('cases', 'stats')[0].payload).toEqual({ kind: 'message', month: currentMonth() })
    expect(text(q(r, '.stats-by-staff'))).toContain('张伟')
    expect(text(q(r, '.stats-by-staff'))).toContain('响应 100%')
  })

  it('the street: each community side by side, no grids', async () => {
    backend({
      'cases.stats': (p: { month: string }) =>
        ok({
          month: p.month,
          total: someRow(6, 50),
          byCategory: [{ key: '噪音', row: someRow(6, 50) }],
          byGrid: [],
          byStaff: [],
          byCommunity: [
            { key: 'c-cuihu', name: '翠湖社区', row: someRow(4, 50) },
            { key: 'c-jinqiao', name: '金桥社区', row: someRow(2, 50) },
          ],
          byDepartment: [],
        }),
    })
    const r = render(<CaseStatsView />)
    await waitFor(() => expect(qa(r, '.stats-by-community .bar-row__name').map(text)).toEqual(['翠湖社区', '金桥社区']))
    expect(q(r, '.stats-by-grid')).toBeNull()
  })
})

describe('entry', () => {
  it('the 邻里纠纷 service entry opens 我的纠纷', () => {
    const nav = jest.spyOn(Taro, 'navigateTo').mockImplementation(() => Promise.resolve({ errMsg: 'navigateTo:ok' }))
    openEntry(FEATURE_ENTRIES.find((e) => e.key === 'dispute')!)
    expect(nav).toHaveBeenCalledWith({ url: '/packages/dispute/pages/mine/index' })
  })

  it('months step across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(addMonths('2025-12', 1)).toBe('2026-01')
    expect(currentMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12') // 00:30 on 1 Dec in Shanghai
  })
})
