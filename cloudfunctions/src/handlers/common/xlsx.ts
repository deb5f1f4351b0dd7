/**
 * Spreadsheets (.xlsx) the functions hand out — the volunteer period export and the monthly
 * 工作台账 — built the one way: `write-excel-file` (pure JS on fflate, bundled into the functions
 * that use it), bold Chinese headers, a bold 合计 row. `storeFile` puts a built file in cloud
 * storage through the platform port and answers a temporary download URL.
 */
import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/node'
import type { Ctx } from '../../runtime/context'

export type { Row }

export interface XlsxSheet {
  /** The sheet's tab (Excel allows 31 characters, no `\ / ? * [ ] :`). */
  sheet: string
  data: Row[]
  /** Column widths in characters. */
  widths?: number[]
}

/** A bold header row. */
export const headerRow = (titles: readonly string[]): Row => titles.map((value) => ({ value, fontWeight: 'bold' as const }))

/** A plain row of values (null: an empty cell). */
export const valueRow = (values: ReadonlyArray<string | number | null>): Row => values.map((value): Cell => (value === null ? null : { value }))

/** A 合计 row: the label in bold, then the values. */
export const totalRow = (values: ReadonlyArray<string | number | null>, label = '合计'): Row => [{ value: label, fontWeight: 'bold' as const }, ...valueRow(values)]

/** A row holding one bold title (a block's heading inside a sheet). */
export const titleRow = (title: string): Row => [{ value: title, fontWeight: 'bold' as const }]

/** The workbook's bytes. */
export async function xlsxBuffer(sheets: readonly XlsxSheet[]): Promise<Buffer> {
  return writeXlsxFile(sheets.map((s) => ({ sheet: s.sheet, data: s.data, ...(s.widths ? { columns: s.widths.map((width) => ({ width })) } : {}) }))).toBuffer()
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * Keep a generated file in cloud storage (under `exports/`, never a person's upload folder) and
 * answer a temporary download URL for it: only ever called after the caller's access was checked.
 */
export async function storeFile(ctx: Pick<Ctx, 'storage'>, path: string, bytes: Buffer): Promise<{ fileId: string; url: string }> {
  const fileId = await ctx.storage.save(`exports/${path}`, bytes)
  const urls = await ctx.storage.tempUrls([fileId])
  const url = urls[fileId]
  if (!url) throw new Error(`no temporary URL for the stored file ${fileId}`)
  return { fileId, url }
}
