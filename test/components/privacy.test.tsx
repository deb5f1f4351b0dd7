/**
 * Privacy rights (issue 14) in the H5 build's code paths: the photo picker waits for consent to
 * the privacy guide (拒绝: it never opens), and 我的数据 shows the records, exports them as a file
 * and asks for deletion.
 */
import Taro from '@tarojs/taro'
import { act, render, waitFor } from '@testing-library/react'
import { PageRoot } from '@/components'
import { PhotoPicker, usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
import MyDataPage from '@/packages/onboarding/pages/data/index'
import type { MyDataOutT } from '@/shared/api/privacy'
import { fakeBackend } from '../support/fake-backend'
import { DisputeNewView } from '@/packages/dispute/pages/new/index'
import { setTransport } from '@/services/gateway'
import { setSession } from '@/services/session'
import { demoDetail, demoProfile, fakeBackend as caseBackend, ok, residentAnswers } from '../support/dispute-fixtures'
import { picked, q, qa, tap, text, typeInto } from '../support/dom'

function Picker() {
  const uploads = usePhotoUploads()
  return (
    <PageRoot>
      <PhotoPicker uploads={uploads} />
    </PageRoot>
  )
}

describe('consent before choosing photos (H5)', () => {
  beforeEach(() => Taro.removeStorageSync('privacy-consent'))
  afterEach(() => {
    jest.restoreAllMocks()
    Taro.setStorageSync('privacy-consent', 'agreed')
  })

  it('refused: the picker never opens; agreed: it opens, and the answer is kept', async () => {
    fakeBackend({})
    const choose = jest.spyOn(Taro, 'chooseMedia').mockResolvedValue(picked() as never)
    const toast = jest.spyOn(Taro, 'showToast')
    const r = render(<Picker />)

    await tap(r, '.photo-add')
    await waitFor(() => expect(q(r, '.privacy-consent')).not.toBeNull())
    expect(text(q(r, '.privacy-consent'))).toContain('选择照片前，请您阅读并同意《用户隐私保护指引》')
    expect(q(r, '.privacy-consent__link')).not.toBeNull()
    await tap(r, '.privacy-consent-refuse')
    await waitFor(() => expect(q(r, '.privacy-consent')).toBeNull())
    expect(choose).not.toHaveBeenCalled()
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '需要您同意《用户隐私保护指引》后才能选择照片' }))
    expect(Taro.getStorageSync('privacy-consent')).toBeFalsy()

    // Asked again on the next tap; 同意 opens the picker.
    await tap(r, '.photo-add')
    await waitFor(() => expect(q(r, '.privacy-consent')).not.toBeNull())
    await tap(r, '.privacy-consent-agree')
    await waitFor(() => expect(choose).toHaveBeenCalledTimes(1))
    expect(q(r, '.privacy-consent')).toBeNull()
    expect(Taro.getStorageSync('privacy-consent')).toBe('agreed')

    // Agreed once: the picker opens at once.
    await tap(r, '.photo-add')
    await waitFor(() => expect(choose).toHaveBeenCalledTimes(2))
    expect(q(r, '.privacy-consent')).toBeNull()
  })

  it('tapping outside the sheet is a refusal', async () => {
    fakeBackend({})
    const choose = jest.spyOn(Taro, 'chooseMedia').mockResolvedValue(picked() as never)
    const r = render(<Picker />)
    await tap(r, '.photo-add')
    await waitFor(() => expect(q(r, '.privacy-consent')).not.toBeNull())
    await tap(r, '.privacy-consent__mask')
    await waitFor(() => expect(q(r, '.privacy-consent')).toBeNull())
    expect(choose).not.toHaveBeenCalled()
  })
})

const DATA: MyDataOutT = {
  generatedAt: '2026-11-23T02:00:00.000Z',
  sections: [
    { key: 'profile', title: '个人资料', note: null, count: 1, items: [{ id: 'o1', title: '孙丽', at: null, fields: [{ label: '手机号', value: '13800001008' }] }] },
    { key: 'disputes', title: '我提交的纠纷', note: null, count: 1, items: [{ id: 'cs1', title: '【漏水】楼上漏水', at: '2026-11-20T02:00:00.000Z', fields: [{ label: '状态', value: '已办结' }] }] },
    { key: 'grid', title: '网格记录', note: '仅网格员和社区工作人员可见', count: 0, items: [] },
  ],
  deletion: null,
  deletionBlocked: null,
}

describe('我的数据', () => {
  afterEach(() => jest.restoreAllMocks())

  it('shows every section, exports the whole answer as a .json download, and asks for deletion', async () => {
    const backend = fakeBackend({
      'privacy.mine': () => DATA,
      'privacy.requestDeletion': () => ({ state: 'pending', stateLabel: '待社区办理', reason: '搬家', requestedAt: '2026-11-23T02:05:00.000Z', doneAt: null }),
      'user.me': () => ({ openid: 'o1', profile: null }),
    })
    const r = render(<MyDataPage />)
    await waitFor(() => expect(qa(r, '.data-section')).toHaveLength(3))
    expect(text(q(r, '.data-section-disputes'))).toContain('【漏水】楼上漏水')
    expect(text(q(r, '.data-section-grid'))).toContain('仅网格员和社区工作人员可见')
    await tap(r, '.data-section-profile .data-item__head')
    await waitFor(() => expect(text(q(r, '.data-section-profile'))).toContain('13800001008'))

    // The export: a Blob of the JSON, downloaded through a link.
    let blob: Blob | null = null
    const created = jest.fn((b: Blob) => {
      blob = b
      return 'blob:export'
    })
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: jest.fn() })
    const clicks: string[] = []
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download)
    })
    await tap(r, '.my-data-export')
    expect(clicks).toEqual(['我的数据_2026-11-23.json'])
    const content = await new Promise<string>((resolve) => {
      const reader = new FileReader()
      reader.onload = () => resolve(String(reader.result))
      reader.readAsText(blob as unknown as Blob)
    })
    const exported = JSON.parse(content)
    expect(exported.sections.map((s: { key: string }) => s.key)).toEqual(['profile', 'disputes', 'grid'])
    await waitFor(() => expect(text(q(r, '.my-data__exported'))).toContain('我的数据_2026-11-23.json'))

    // 申请注销: the sheet, the reason, then the request's state.
    await tap(r, '.data-deletion-ask')
    await waitFor(() => expect(q(r, '.data-deletion-confirm')).not.toBeNull())
    await act(async () => {
      await tap(r, '.data-deletion-confirm')
    })
    await waitFor(() => expect(text(q(r, '.data-deletion'))).toContain('待社区办理'))
    expect(backend.calls('privacy.requestDeletion')).toHaveLength(1)
    expect(q(r, '.data-deletion-withdraw')).not.toBeNull()
  })
})

describe('代办 on the dispute form', () => {
  afterEach(() => jest.restoreAllMocks())

  it('opened for a resident: refused until the consent is ticked and its way chosen; then sent as onBehalfOf', async () => {
    jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
    const worker = demoProfile({ openid: 'demo-grid-zhang', name: '张伟', roles: ['resident', 'grid_worker'], gridIds: ['g-cuihu-1'] })
    const b = caseBackend({
      ...residentAnswers(worker),
      'cases.submit': () => ok(demoDetail({ proxy: { byName: '张伟', byRole: '网格员', how: 'phone', text: '由网格员 张伟 代办（居民电话同意）' } })),
    })
    setTransport(b.handle)
    setSession(null)
    const r = render(<DisputeNewView proxyFor={{ openid: 'demo-res-he', name: '何桂英' }} />)
    await waitFor(() => expect(q(r, '.field-category')).not.toBeNull())
    expect(text(q(r, '.field-proxy'))).toContain('为居民 何桂英 代办纠纷')
    await tap(r, '.category-chip-0')
    await waitFor(() => expect(q(r, '.description-input textarea')).not.toBeNull())
    await typeInto(r, '.description-input textarea', '楼上夜里搬动家具，老人睡不好。')
    await tap(r, '.submit-btn')
    await waitFor(() => expect(text(q(r, '.field-proxy .ui-field__error'))).toBe('请先征得居民同意并勾选'))
    expect(b.callsOf('cases', 'submit')).toEqual([])
    await tap(r, '.proxy-consent-check')
    await tap(r, '.submit-btn')
    await waitFor(() => expect(text(q(r, '.field-proxy .ui-field__error'))).toBe('请选择居民同意的方式'))
    expect(b.callsOf('cases', 'submit')).toEqual([])
    await tap(r, '.proxy-how-chip-1')
    await tap(r, '.submit-btn')
    await waitFor(() => expect(b.callsOf('cases', 'submit')).toHaveLength(1))
    expect(b.callsOf('cases', 'submit')[0].payload).toMatchObject({ onBehalfOf: { openid: 'demo-res-he', consent: true, how: 'phone' } })
    await waitFor(() => expect(text(r.container)).toContain('已为何桂英提交纠纷'))
  })
})
