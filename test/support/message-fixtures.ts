/**
 * Test data for the 居民留言 pages, shaped exactly as the `cases` contract returns it (the client
 * gateway checks every answer against the output schema).
 */
import type { CaseDetailT, CaseSummaryT, ThreadPostT, WallItemT } from '../../src/shared/api/cases'

export const MESSAGE_TEXT = '3栋1202 门口的路灯坏了一周，晚上很黑，老人出门不方便。联系电话 13812345678。'

export function post(side: ThreadPostT['side'], text: string, over: Partial<ThreadPostT> = {}): ThreadPostT {
  return {
    at: side === 'resident' ? '2026-11-23T02:00:00.000Z' : '2026-11-23T03:00:00.000Z',
    side,
    byName: side === 'resident' ? '孙丽' : '李秀梅',
    text,
    photos: [],
    asksInfo: false,
    ...over,
  }
}

export function messageDetail(over: Partial<CaseDetailT> = {}): CaseDetailT {
  return {
    id: 'ms-1',
    kind: 'message',
    category: '报修',
    title: `【报修】${MESSAGE_TEXT.slice(0, 24)}…`,
    status: 'submitted',
    statusLabel: '待受理',
    urgency: 'normal',
    level: 'community',
    complex: false,
    dueAt: '2026-11-24T02:00:00.000Z',
    overdue: false,
    submittedAt: '2026-11-23T02:00:00.000Z',
    locationText: '翠园小区 1栋 1单元',
    gridName: null,
    unread: 0,
    assigneeName: null,
    departmentName: null,
    departmentId: null,
    deptDueAt: null,
    description: MESSAGE_TEXT,
    photos: [],
    otherParty: null,
    submitter: { name: '孙丽', phone: '138****1008' },
    agreement: null,
    failReason: null,
    satisfaction: null,
    satisfactionComment: null,
    reopenCount: 0,
    version: 1,
    timeline: [
      { at: '2026-11-23T02:00:00.000Z', byName: '孙丽', byRole: '居民', action: 'submit', label: '留言', from: null, to: 'submitted', note: null, private: false },
    ],
    thread: [post('resident', MESSAGE_TEXT)],
    wall: { wanted: true, status: 'none', text: null, publishedAt: null },
    paused: false,
    can: ['withdraw', 'answer'],
    viewerRole: 'owner',
    ...over,
  }
}

export function messageSummary(over: Partial<CaseSummaryT> = {}): CaseSummaryT {
  const d = messageDetail()
  return {
    id: d.id,
    kind: d.kind,
    category: d.category,
    title: d.title,
    status: d.status,
    statusLabel: d.statusLabel,
    urgency: d.urgency,
    level: d.level,
    complex: d.complex,
    dueAt: d.dueAt,
    overdue: d.overdue,
    submittedAt: d.submittedAt,
    locationText: d.locationText,
    gridName: d.gridName,
    unread: 0,
    assigneeName: d.assigneeName,
    departmentName: null,
    departmentId: null,
    deptDueAt: null,
    ...over,
  }
}

export function wallItem(over: Partial<WallItemT> = {}): WallItemT {
  return {
    id: 'ms-1',
    category: '报修',
    text: '【门牌号已隐藏】 门口的路灯坏了一周，晚上很黑，老人出门不方便。联系电话 【电话已隐藏】。',
    reply: '已联系物业，今天下午修复。',
    status: 'published',
    publishedAt: '2026-11-24T02:00:00.000Z',
    ...over,
  }
}

/** The resident's message after staff asked for more (要求补充): the clock is paused. */
export function waitingMessage(over: Partial<CaseDetailT> = {}): CaseDetailT {
  return messageDetail({
    status: 'waiting_info',
    statusLabel: '待补充材料',
    paused: true,
    dueAt: null,
    assigneeName: '李秀梅',
    thread: [post('resident', MESSAGE_TEXT), post('staff', '请问是哪一盏路灯？最好拍张照片。', { asksInfo: true })],
    can: ['withdraw', 'answer'],
    ...over,
  })
}
