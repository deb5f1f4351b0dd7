import { View, Text } from '@tarojs/components'
import { useEffect, useState, type ReactNode } from 'react'
import { Button, Field, Sheet } from '@/components'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import './property.css'

export interface ReasonSheetProps {
  open: boolean
  title: string
  label: string
  placeholder: string
  max: number
  /** Optional: may be left empty. */
  optional?: boolean
  confirmText: string
  /** Test hook: `<name>-sheet`, `<name>-reason`, `<name>-submit`. */
  name: string
  /** Above the reason (e.g. a company picker, a note on what happens). */
  children?: ReactNode
  onClose: () => void
  /** Resolves when done (the sheet closes); a thrown error's message shows in the sheet. */
  onSubmit: (reason: string) => Promise<void>
  /** Field issues of the reason itself come back with this path. */
  reasonPath?: string
}

/** A sheet asking for a reason (采纳 / 驳回, 更正, 剔除 / 保留, 撤销, 隐藏…) before acting. */
export function ReasonSheet({ open, title, label, placeholder, max, optional = false, confirmText, name, children, onClose, onSubmit, reasonPath = 'reason' }: ReasonSheetProps) {
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (open) {
      setReason('')
      setError('')
      setBusy(false)
    }
  }, [open])

  const submit = async () => {
    if (busy) return
    const r = reason.trim()
    if (!optional && !r) {
      setError(`请填写${label}`)
      return
    }
    if (r.length > max) {
      setError(`最多 ${max} 个字`)
      return
    }
    setBusy(true)
    setError('')
    try {
      await onSubmit(r)
    } catch (e) {
      const issues = (e as { issues?: Array<{ path: string; message: string }> })?.issues ?? []
      const own = issues.find((i) => i.path === reasonPath)
      setError(own?.message ?? (e instanceof Error && e.message ? e.message : '操作失败，请稍后重试'))
      setBusy(false)
    }
  }

  return (
    <Sheet
      open={open}
      title={title}
      className={`${name}-sheet`}
      onClose={onClose}
      footer={
        <Button type='primary' block className={`${name}-submit`} loading={busy} onClick={() => void submit()}>
          {confirmText}
        </Button>
      }
    >
      <View>
        {children}
        <Field label={label} required={!optional} error={error || undefined}>
          <CountedTextarea className={`pm-reason-input ${name}-reason`} placeholder={placeholder} max={max} fixed value={reason} onInput={(v) => {
              setReason(v)
              setError('')
            }} />
        </Field>
      </View>
    </Sheet>
  )
}

/** The common error line of a sheet or a form. */
export function ErrorLine({ text, className }: { text?: string; className?: string }) {
  return text ? <Text className={`pm-error ui-form-error ${className ?? ''}`}>{text}</Text> : null
}
