/**
 * What only the message pages load or send (写留言, 留言墙, 常用回复, the wall draft); what both
 * case kinds share (lists, one case, its actions) is in features/cases/data.ts.
 */
import type { ListPage } from '@/components'
import { quiet } from '@/features/cases/data'
import { call } from '@/services/gateway'
import { casesApi, type CaseDetailT, type ReplyTemplateT, type WallItemT, type WriteMessageInputT } from '@/shared/api/cases'
import { REDACTION_PLACEHOLDERS, type RedactionKind } from '@/shared/rules/redact'

export function writeMessage(payload: WriteMessageInputT, requestId: string): Promise<CaseDetailT> {
  return call(casesApi, 'write', payload, { requestId, toast: false })
}

/** 留言墙: the community's published messages, newest first. */
export async function fetchWall(cursor: string | undefined): Promise<ListPage<WallItemT, string>> {
  const page = await call(casesApi, 'wall', { pageSize: 20, ...(cursor ? { cursor } : {}) }, quiet)
  return { items: page.items, nextCursor: page.nextCursor }
}

export type Template = ReplyTemplateT

export async function loadTemplates(): Promise<Template[]> {
  return (await call(casesApi, 'templates', {}, quiet)).items
}

/** Creates a template (no id) or changes one. */
export function saveTemplate(t: { id?: string; title: string; text: string }): Promise<Template> {
  return call(casesApi, 'saveTemplate', t.id ? { id: t.id, title: t.title, text: t.text } : { title: t.title, text: t.text }, quiet)
}

export async function deleteTemplate(id: string): Promise<void> {
  await call(casesApi, 'deleteTemplate', { id }, quiet)
}

export interface WallDraft {
  text: string
  reply: string | null
  /** What the rule hid, for the reviewer: `电话：13812345678`. */
  hidden: Array<{ kind: string; label: string; original: string }>
}

/** 电话, 身份证号, 门牌号… from the placeholder the rule writes (【电话已隐藏】). */
function kindLabel(kind: string): string {
  const placeholder = REDACTION_PLACEHOLDERS[kind as RedactionKind]
  return placeholder ? placeholder.replace(/^【|已隐藏】$/g, '') : kind
}

/** The text and reply with personal details hidden by the rule, for staff to review before publishing. */
export async function loadWallDraft(id: string): Promise<WallDraft> {
  const d = await call(casesApi, 'wallDraft', { id }, quiet)
  return { text: d.text, reply: d.reply, hidden: d.hidden.map((h) => ({ ...h, label: kindLabel(h.kind) })) }
}
