import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { Button, Field, LoadMore, PageWrapper, Switch, Tag, Badge } from '@/components'

describe('PageWrapper', () => {
  it('shows a loading skeleton instead of the content', () => {
    const { container } = render(
      <PageWrapper loading>
        <span>内容</span>
      </PageWrapper>,
    )
    expect(screen.getByText('加载中…')).toBeTruthy()
    expect(screen.queryByText('内容')).toBeNull()
    expect(container.querySelectorAll('.ui-pw__skeleton').length).toBe(3)
  })

  it('shows the empty text when empty', () => {
    render(<PageWrapper empty emptyText='暂无消息' />)
    expect(screen.getByText('暂无消息')).toBeTruthy()
  })

  it('shows the error message and calls onRetry when 重试 is tapped', () => {
    const onRetry = jest.fn()
    render(
      <PageWrapper error={{ message: '网络不太好，请稍后再试' }} onRetry={onRetry}>
        <span>内容</span>
      </PageWrapper>,
    )
    expect(screen.getByText('加载失败')).toBeTruthy()
    expect(screen.getByText('网络不太好，请稍后再试')).toBeTruthy()
    expect(screen.queryByText('内容')).toBeNull()
    fireEvent.click(screen.getByText('重试'))
    expect(onRetry).toHaveBeenCalledTimes(1)
  })

  it('FORBIDDEN reads as a permission message, with no 重试 (trying again cannot help)', () => {
    const onRetry = jest.fn()
    const { container } = render(<PageWrapper error={{ message: '只有社区工作人员可以查看', code: 'FORBIDDEN' }} onRetry={onRetry} />)
    expect(screen.getByText('没有权限')).toBeTruthy()
    expect(screen.getByText('只有社区工作人员可以查看')).toBeTruthy()
    expect(screen.queryByText('加载失败')).toBeNull()
    expect(screen.queryByText('重试')).toBeNull()
    expect(container.querySelector('.ui-pw--forbidden')).not.toBeNull()
  })

  it('renders the children once loaded', () => {
    render(
      <PageWrapper>
        <span>内容</span>
      </PageWrapper>,
    )
    expect(screen.getByText('内容')).toBeTruthy()
  })
})

describe('Button', () => {
  it('fires onClick when enabled', () => {
    const onClick = jest.fn()
    render(<Button onClick={onClick}>提交</Button>)
    fireEvent.click(screen.getByText('提交'))
    expect(onClick).toHaveBeenCalledTimes(1)
  })

  it('does not fire when disabled or loading', () => {
    const onClick = jest.fn()
    render(
      <>
        <Button disabled onClick={onClick}>
          禁用
        </Button>
        <Button loading onClick={onClick}>
          提交中
        </Button>
      </>,
    )
    fireEvent.click(screen.getByText('禁用'))
    fireEvent.click(screen.getByText('提交中'))
    expect(onClick).not.toHaveBeenCalled()
  })

  it('carries its type and block classes', () => {
    render(
      <Button type='primary' block>
        确定
      </Button>,
    )
    const el = screen.getByText('确定').closest('.ui-btn')
    expect(el?.className).toContain('ui-btn--primary')
    expect(el?.className).toContain('ui-btn--block')
  })
})

describe('small components', () => {
  it('Field shows its inline error', () => {
    render(
      <Field label='手机号' error='请输入 11 位手机号'>
        <span>控件</span>
      </Field>,
    )
    expect(screen.getByText('请输入 11 位手机号')).toBeTruthy()
  })

  it('LoadMore shows each state', () => {
    const onLoadMore = jest.fn()
    const { rerender } = render(<LoadMore loading hasMore onLoadMore={onLoadMore} />)
    expect(screen.getByText('加载中…')).toBeTruthy()
    rerender(<LoadMore loading={false} hasMore onLoadMore={onLoadMore} />)
    fireEvent.click(screen.getByText('加载更多'))
    expect(onLoadMore).toHaveBeenCalledTimes(1)
    rerender(<LoadMore loading={false} hasMore={false} onLoadMore={onLoadMore} />)
    expect(screen.getByText('没有更多了')).toBeTruthy()
  })

  it('Switch reports the next value', () => {
    const onChange = jest.fn()
    const { container } = render(<Switch checked={false} onChange={onChange} label='长辈模式' />)
    fireEvent.click(container.querySelector('.ui-switch')!)
    expect(onChange).toHaveBeenCalledWith(true)
  })

  it('Tag and Badge render their text', () => {
    render(
      <>
        <Tag type='danger'>已超时</Tag>
        <Badge count={120} />
      </>,
    )
    expect(screen.getByText('已超时').className).toContain('ui-tag--danger')
    expect(screen.getByText('99+')).toBeTruthy()
  })
})

// keep `act`/`waitFor` imported for future async cases without lint noise
void act
void waitFor
