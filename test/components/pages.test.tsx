import Taro from '@tarojs/taro'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { ELDER_STORAGE_KEY, ElderProvider } from '@/components/elder'
import HomePage from '@/pages/home/index'
import MessagesPage from '@/pages/messages/index'
import MinePage from '@/pages/mine/index'
import ServicesPage from '@/pages/services/index'

const ENTRY_TITLES = ['邻里纠纷', '场地预约', '志愿活动', '物业红黑榜', '居民留言']

beforeEach(() => {
  Taro.removeStorageSync(ELDER_STORAGE_KEY)
})

describe('tab pages', () => {
  it('home shows the five service entries', () => {
    const { container } = render(
      <ElderProvider>
        <HomePage />
      </ElderProvider>,
    )
    for (const title of ENTRY_TITLES) expect(screen.getByText(title)).toBeTruthy()
    for (const key of ['dispute', 'booking', 'volunteer', 'property', 'message']) {
      expect(container.querySelector(`.entry-${key}`)).not.toBeNull()
    }
  })

  it('an entry that is not built yet says so', () => {
    const toast = jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'ok' }))
    const { container } = render(<HomePage />)
    fireEvent.click(container.querySelector('.entry-dispute')!)
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '邻里纠纷即将开放' }))
    toast.mockRestore()
  })

  it('services lists the same entries', () => {
    render(<ServicesPage />)
    for (const title of ENTRY_TITLES) expect(screen.getByText(title)).toBeTruthy()
  })

  it('messages shows 暂无消息 once the (empty) first page arrives', async () => {
    render(<MessagesPage />)
    await waitFor(() => expect(screen.getByText('暂无消息')).toBeTruthy())
  })

  it('mine: the 长辈模式 switch toggles the elder class and is remembered', () => {
    const { container } = render(
      <ElderProvider>
        <MinePage />
      </ElderProvider>,
    )
    const root = container.querySelector('.page-root')!
    expect(root.className).not.toContain('elder')
    fireEvent.click(container.querySelector('.elder-switch')!)
    expect(root.className).toContain('elder')
    expect(container.querySelector('.elder-switch')!.className).toContain('ui-switch--on')
    expect(Taro.getStorageSync(ELDER_STORAGE_KEY)).toBe(true)
    fireEvent.click(container.querySelector('.elder-switch')!)
    expect(root.className).not.toContain('elder')
    expect(Taro.getStorageSync(ELDER_STORAGE_KEY)).toBe(false)
  })

  it('the stored choice is used on the next start', () => {
    Taro.setStorageSync(ELDER_STORAGE_KEY, true)
    const { container } = render(
      <ElderProvider>
        <MinePage />
      </ElderProvider>,
    )
    expect(container.querySelector('.page-root')!.className).toContain('elder')
  })
})
