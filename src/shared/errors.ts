/**
 * One error model for the whole product. Every action answers with an envelope
 * `{ ok: true, data } | { ok: false, error: { code, message, issues? } }`; the code list is fixed
 * and every message is Chinese a resident can act on.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'FULL',
  'RATE_LIMITED',
  'CONTENT_REJECTED',
  'PRECONDITION_FAILED',
  /** The caller has no address yet (入驻): pages guide them to 去完善住址 instead of an error. */
  'NOT_ONBOARDED',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** Default Chinese message per code, used when a handler gives none. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  INVALID_INPUT: '填写的内容有误，请检查后重试',
  UNAUTHENTICATED: '请先登录后再操作',
  FORBIDDEN: '您没有权限进行此操作',
  NOT_FOUND: '没有找到相关内容，可能已被删除或无权查看',
  CONFLICT: '操作冲突，数据已被他人更新，请刷新后重试',
  FULL: '名额已满',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  CONTENT_REJECTED: '内容含有不当信息，请修改后再提交',
  PRECONDITION_FAILED: '当前状态下不能进行此操作',
  NOT_ONBOARDED: '请先完成入驻：选择您所在的社区、小区和楼栋',
  INTERNAL: '系统开小差了，请稍后再试',
}

/** One field problem, path joined with dots (`address.buildingId`). */
export interface FieldIssue {
  path: string
  message: string
}

export interface ErrorBody {
  code: ErrorCode
  message: string
  issues?: FieldIssue[]
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody }

/** Thrown by handlers and rules; serve() turns it into the error envelope. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly issues?: FieldIssue[]
  constructor(code: ErrorCode, message?: string, issues?: FieldIssue[]) {
    super(message ?? DEFAULT_MESSAGES[code])
    this.name = 'AppError'
    this.code = code
    this.issues = issues
  }
  toBody(): ErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message }
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}

export function fail(code: ErrorCode, message?: string, issues?: FieldIssue[]): never {
  throw new AppError(code, message, issues)
}
