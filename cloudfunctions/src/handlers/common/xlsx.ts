/**
 * Spreadsheets (.xlsx) the functions hand out — the volunteer period export and the monthly
 * 工作台账 — built the one way: `write-excel-file` (pure JS on fflate, bundled into the functions
 * that use it), bold Chinese headers, a bold 合计 row. The built file is kept in cloud storage by
 * common/exports.ts.
 */
import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/node'

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
