import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { ElderProvider } from '@/components/elder'
import OnboardingPage from '@/packages/onboarding/pages/index/index'
import ProfileEditPage from '@/packages/onboarding/pages/profile/index'
import { demoProfile, fail, fakeBackend, placesHandler, type FakeBackend } from '../support/fake-backend'
import { watchScrolls } from '../support/dom'

let backend: FakeBackend
let switchTab: jest.SpyInstance

beforeEach(() => {
  backend = fakeBackend({
    'user.me': () => ({ openid: 'visitor-1', profile: null }),
    'user.places': placesHandler,
    'inbox.unread': () => ({ count: 0 }),
  })
  switchTab = jest.spyOn(Taro, 'switchTab').mockImplementation(() => Promise.resolve({ errMsg: 'switchTab:ok' }))
  jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
  jest.spyOn(Taro, 'setNavigationBarTitle').mockImplementation(() => Promise.resolve({ errMsg: 'ok' }))
})
afterEach(() => jest.restoreAllMocks())

function renderPage() {
  return render(
    <ElderProvider initial={false}>
      <OnboardingPage />
    </ElderProvider>,
  )
}

/** Types into the Taro <Input> inside the field with this class. */
function type(container: HTMLElement, fieldClass: string, value: string) {
  const input = container.querySelector(`.${fieldClass} input`) as HTMLInputElement
  expect(input).not.toBeNull()
  fireEvent.input(input, { target: { value } })
}

async function chooseAddress(container: HTMLElement) {
  fireEvent.click(await screen.findByText('翠湖社区'))
  fireEvent.click(await screen.findByText('翠园小区'))
  fireEvent.click(await screen.findByText('1栋'))
  fireEvent.click(await screen.findByText('2单元'))
  await waitFor(() => expect(container.querySelector('.onb-chosen-unit')?.textContent).toBe('2单元'))
}

const field = (container: HTMLElement, cls: string) => container.querySelector(`.${cls}`) as HTMLElement

describe('onboarding form', () => {
  it('choosing a level loads and enables the next one; changing it resets the levels below', async () => {
    const { container } = renderPage()
    await screen.findByText('翠湖社区')
    expect(container.querySelector('.onb-level-estate')).toBeNull()

    fireEvent.click(screen.getByText('翠湖社区'))
    await screen.findByText('翠园小区')
    expect(container.querySelector('.onb-level-estate')).not.toBeNull()
    expect(container.querySelector('.onb-level-building')).toBeNull()
    expect(container.querySelector('.onb-chosen-community')?.textContent).toBe('翠湖社区')

    fireEvent.click(screen.getByText('翠园小区'))
    await screen.findByText('1栋')
    fireEvent.click(screen.getByText('1栋'))
    await screen.findByText('1单元')
    expect(backend.calls('user.places')).toEqual([{}, { parentId: 'c-cuihu' }, { parentId: 'e-cuiyuan' }, { parentId: 'b-cy-1' }])

    // 重新选择 the community: estate list again, building and unit gone.
    fireEvent.click(container.querySelector('.onb-change-community')!)
    fireEvent.click(await screen.findByText('金桥社区'))
    await waitFor(() => expect(container.querySelector('.onb-level-building')).toBeNull())
    expect(container.querySelector('.onb-level-estate')).not.toBeNull()
    expect(backend.calls('user.places').at(-1)).toEqual({ parentId: 'c-jinqiao' })
  })

  it('a malformed phone shows the error beside the phone field and nothing is sent', async () => {
    const { container } = renderPage()
    await chooseAddress(container)
    type(container, 'field-room', '1501')
    type(container, 'field-phone', '12345')
    fireEvent.click(container.querySelector('.consent-check')!)
    fireEvent.click(screen.getByText('完成入驻'))

    await waitFor(() => expect(within(field(container, 'field-phone')).getByText('请输入 11 位手机号')).toBeTruthy())
    expect(backend.calls('user.onboard')).toHaveLength(0)
    expect(container.querySelector('.onb-top-error')).toBeNull()
  })

  it('a valid-length phone that is no mobile number says what is wrong', async () => {
    const { container } = renderPage()
    await chooseAddress(container)
    type(container, 'field-room', '1501')
    type(container, 'field-phone', '23800001234')
    fireEvent.click(container.querySelector('.consent-check')!)
    fireEvent.click(screen.getByText('完成入驻'))
    await waitFor(() => expect(within(field(container, 'field-phone')).getByText('手机号应以 1 开头，请核对')).toBeTruthy())
    expect(backend.calls('user.onboard')).toHaveLength(0)
  })

  it('a phone without the privacy consent is not sent', async () => {
    const { container } = renderPage()
    await chooseAddress(container)
    type(container, 'field-room', '1501')
    type(container, 'field-phone', '13912345678')
    fireEvent.click(screen.getByText('完成入驻'))
    await screen.findByText(/请先阅读并勾选同意《用户隐私保护指引》/)
    expect(backend.calls('user.onboard')).toHaveLength(0)
  })

  it('missing levels and room are marked inline, counted as shown, and scrolled to, without calling the backend', async () => {
    const scrolls = watchScrolls()
    const { container } = renderPage()
    await screen.findByText('翠湖社区')
    fireEvent.click(screen.getByText('完成入驻'))
    expect(within(field(container, 'onb-level-community')).getByText('请选择社区')).toBeTruthy()
    expect(within(field(container, 'field-room')).getByText('请填写门牌号')).toBeTruthy()
    // Only the community level is on screen (the others appear as the one above is chosen): 2, not 5.
    expect(container.querySelectorAll('.ui-field--invalid')).toHaveLength(2)
    expect(container.querySelector('.onb-submit__summary')?.textContent).toBe('有 2 处需要修改，请查看标红的提示')
    await waitFor(() => expect(scrolls.targets[0]?.classList.contains('onb-level-community')).toBe(true))
    scrolls.restore()
    expect(backend.calls('user.onboard')).toHaveLength(0)
  })

  it('server INVALID_INPUT issues appear beside their fields', async () => {
    backend.on({
      'user.onboard': () =>
        fail('INVALID_INPUT', '邀请码已过期，请向网格员重新索取', [
          { path: 'inviteCode', message: '邀请码已过期，请向网格员重新索取' },
          { path: 'unitId', message: '所选单元不在该楼栋内，请重新选择' },
          { path: 'name', message: '内容未通过安全检查，请修改' },
        ]),
    })
    const { container } = renderPage()
    await chooseAddress(container)
    type(container, 'field-room', '1501')
    type(container, 'field-name', '钱小满')
    type(container, 'field-invite', 'k7m2qx')
    fireEvent.click(screen.getByText('完成入驻'))

    await waitFor(() => expect(backend.calls('user.onboard')).toHaveLength(1))
    expect(backend.calls('user.onboard')[0]).toEqual({
      communityId: 'c-cuihu',
      estateId: 'e-cuiyuan',
      buildingId: 'b-cy-1',
      unitId: 'b-cy-1-u2',
      room: '1501',
      name: '钱小满',
      inviteCode: 'K7M2QX',
    })
    expect(backend.all.find((c) => c.key === 'user.onboard')?.requestId).toMatch(/\w{8,}/)
    await waitFor(() => expect(within(field(container, 'field-invite')).getByText('邀请码已过期，请向网格员重新索取')).toBeTruthy())
    expect(within(field(container, 'onb-level-unit')).getByText('所选单元不在该楼栋内，请重新选择')).toBeTruthy()
    expect(within(field(container, 'field-name')).getByText('内容未通过安全检查，请修改')).toBeTruthy()
    expect(container.querySelector('.onb-top-error')).toBeNull()
    expect(switchTab).not.toHaveBeenCalled()
  })

  it('an error that belongs to no field is shown at the top', async () => {
    backend.on({ 'user.onboard': () => fail('RATE_LIMITED', '操作太频繁，请稍后再试') })
    const { container } = renderPage()
    await chooseAddress(container)
    type(container, 'field-room', '1501')
    fireEvent.click(screen.getByText('完成入驻'))
    await waitFor(() => expect(container.querySelector('.onb-top-error')?.textContent).toBe('操作太频繁，请稍后再试'))
  })

  it('on success refreshes the session and switches to 我的', async () => {
    const profile = demoProfile({ openid: 'visitor-1', verified: false, name: '钱小满' })
    backend.on({ 'user.onboard': () => profile })
    const { container } = renderPage()
    await chooseAddress(container)
    type(container, 'field-room', '1501')
    backend.on({ 'user.me': () => ({ openid: 'visitor-1', profile }) })
    await act(async () => {
      fireEvent.click(screen.getByText('完成入驻'))
    })
    await waitFor(() => expect(switchTab).toHaveBeenCalledWith({ url: '/pages/mine/index' }))
    expect(backend.calls('user.me')).toHaveLength(2)
  })

  it('already onboarded: 修改住址, prefilled, with the re-verification warning', async () => {
    backend.on({ 'user.me': () => ({ openid: 'demo-res-sun', profile: demoProfile() }) })
    const { container } = renderPage()
    await screen.findByText('保存住址')
    expect(container.querySelector('.onb-chosen-community')?.textContent).toBe('翠湖社区')
    expect(container.querySelector('.onb-chosen-unit')?.textContent).toBe('1单元')
    await waitFor(() => expect((container.querySelector('.field-room input') as HTMLInputElement | null)?.value).toBe('1202'))
    expect(screen.getByText(/修改住址后需要重新认证/)).toBeTruthy()
    expect(screen.getByText('已登记 138****1008，不填写则保持不变')).toBeTruthy()
    expect(backend.calls('user.places')).toHaveLength(0)
  })
})

describe('修改资料', () => {
  it('prefills, sends only what changed, and shows a server error beside its field', async () => {
    backend.on({
      'user.me': () => ({ openid: 'demo-party-zhao', profile: demoProfile({ name: '赵磊', roles: ['resident', 'party_member'], partyUnit: '市自来水有限公司' }) }),
      'user.updateProfile': () => fail('CONTENT_REJECTED', '内容含有不当信息，请修改后再提交', [{ path: 'partyUnit', message: '内容未通过安全检查，请修改' }]),
    })
    const { container } = render(<ProfileEditPage />)
    await waitFor(() => expect((container.querySelector('.field-name input') as HTMLInputElement | null)?.value).toBe('赵磊'))
    await waitFor(() => expect((container.querySelector('.field-party-unit input') as HTMLInputElement | null)?.value).toBe('市自来水有限公司'))

    fireEvent.click(screen.getByText('保存'))
    await screen.findByText('没有需要保存的修改')
    expect(backend.calls('user.updateProfile')).toHaveLength(0)

    type(container, 'field-party-unit', '市第一人民医院')
    await act(async () => {
      fireEvent.click(screen.getByText('保存'))
    })
    expect(backend.calls('user.updateProfile')).toEqual([{ partyUnit: '市第一人民医院' }])
    expect(within(field(container, 'field-party-unit')).getByText('内容未通过安全检查，请修改')).toBeTruthy()
  })
})
