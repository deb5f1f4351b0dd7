import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useRef, useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Sheet, Tag, cx } from '@/components'
import { errorsFromApi } from '@/features/cases/form'
import { Chips } from '@/features/cases/ui/Chips'
import { loadDepartments, saveDepartment, setDepartmentContact } from '@/features/grid/api'
import { useShownResource } from '@/features/grid/hooks'
import { ApiError, newRequestId } from '@/services/gateway'
import type { DepartmentOutT } from '@/shared/api/grid'
import { phoneProblem } from '@/shared/ids'
import { DEPARTMENT_KINDS } from '@/shared/rules/grid'
import '../../components/grid.css'

type DeptErrors = Partial<Record<'name' | 'kind' | 'phone' | '_', string>>
type ContactErrors = Partial<Record<'phone' | '_', string>>
type SheetState =
  | { kind: 'dept'; id?: string; name: string; deptKind: string; phone: string; errors: DeptErrors; busy: boolean }
  | { kind: 'contact'; dept: DepartmentOutT; phone: string; errors: ContactErrors; busy: boolean }

const KIND_OPTIONS = DEPARTMENT_KINDS.map((k) => ({ key: k as string, label: k }))
const toast = (title: string, icon: 'none' | 'success' = 'none') => void Taro.showToast({ title, icon, duration: 2500 })

/**
 * 职能部门 (the street, admins): the street's departments for 分流转办 and 吹哨 — name, kind,
 * phone — and their contacts (named by the phone they registered with; they get role 职能部门).
 */
export function DepartmentsView() {
  const res = useShownResource(() => loadDepartments(), [])
  const [sheet, setSheet] = useState<SheetState | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  // One request id per department being added: a retry after a lost answer adds it once.
  const requestId = useRef<string | null>(null)
  const items = res.data

  const openDept = (d?: DepartmentOutT) => {
    requestId.current = d ? null : newRequestId()
    setSheet({ kind: 'dept', id: d?.id, name: d?.name ?? '', deptKind: d?.kind ?? '', phone: d?.phone ?? '', errors: {}, busy: false })
  }

  const submitDept = async () => {
    if (!sheet || sheet.kind !== 'dept' || sheet.busy) return
    const local: DeptErrors = {}
    if (!sheet.name.trim()) local.name = '请填写部门名称'
    else if (sheet.name.trim().length > 40) local.name = '最多 40 个字'
    if (!sheet.deptKind) local.kind = '请选择部门类别'
    if (sheet.phone.trim() && !/^[\d-]{7,20}$/.test(sheet.phone.trim())) local.phone = '请填写正确的电话号码'
    if (Object.keys(local).length) {
      setSheet({ ...sheet, errors: local })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    try {
      res.setData(await saveDepartment({ id: sheet.id, name: sheet.name, kind: sheet.deptKind, phone: sheet.phone }, requestId.current ?? newRequestId()))
      requestId.current = null
      setSheet(null)
      toast(sheet.id ? '已保存' : '已添加', 'success')
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        toast('部门信息刚刚有了变化，已刷新')
        setSheet(null)
        await res.reload()
        return
      }
      const errors = errorsFromApi(e, ['name', 'kind', 'phone'] as const)
      setSheet((s) => (s?.kind === 'dept' ? { ...s, busy: false, errors } : s))
    }
  }

  const submitContact = async () => {
    if (!sheet || sheet.kind !== 'contact' || sheet.busy) return
    const phone = sheet.phone.trim()
    const problem = phoneProblem(phone)
    if (problem) {
      setSheet({ ...sheet, errors: { phone: problem } })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    try {
      res.setData(await setDepartmentContact(sheet.dept.id, { phone }, true))
      setSheet(null)
      toast('已设为联系人', 'success')
    } catch (e) {
      const errors = errorsFromApi(e, ['phone'] as const)
      setSheet((s) => (s?.kind === 'contact' ? { ...s, busy: false, errors } : s))
    }
  }

  const removeContact = async (d: DepartmentOutT, p: DepartmentOutT['contacts'][number]) => {
    const ok = await Taro.showModal({ title: '取消联系人', content: `${p.name} 将不再代表 ${d.name} 接收和处置上报事项。`, confirmText: '确认取消', cancelText: '再想想', confirmColor: '#c8161d' }).catch(
      () => ({ confirm: false }),
    )
    if (!ok.confirm) return
    setBusy(p.openid)
    try {
      res.setData(await setDepartmentContact(d.id, { openid: p.openid }, false))
      toast('已取消', 'success')
    } catch (e) {
      toast(e instanceof Error && e.message ? e.message : '操作失败，请稍后重试')
    } finally {
      setBusy(null)
    }
  }

  return (
    <PageRoot className='grid-departments'>
      <View className='dept-cta'>
        <Button type='primary' block className='dept-add' onClick={() => openDept()}>
          登记职能部门
        </Button>
        <Text className='dept-cta__note'>社区分流转办、街道吹哨时从这里选择部门；联系人负责接收和处置。</Text>
      </View>

      <PageWrapper
        loading={res.loading && !items}
        error={items ? null : res.error}
        empty={!!items && items.length === 0}
        emptyText='本街道还没有登记职能部门'
        onRetry={() => void res.reload()}
      >
        <View className='dept-list'>
          {(items ?? []).map((d) => (
            <Card key={d.id} title={d.name} extra={<Tag type='muted'>{d.kind}</Tag>} className={cx('dept-card', `dept-card--${d.id}`)}>
              <Text className='dept-card__phone'>电话：{d.phone ?? '未登记'}</Text>
              <Text className='dept-card__label'>联系人</Text>
              {d.contacts.length ? (
                d.contacts.map((p) => (
                  <View key={p.openid} className='dept-contact'>
                    <Text className='dept-contact__name'>{p.name}</Text>
                    <Button type='default' size='small' className='dept-remove-contact' loading={busy === p.openid} onClick={() => void removeContact(d, p)}>
                      取消联系人
                    </Button>
                  </View>
                ))
              ) : (
                <Text className='dept-card__none'>暂无联系人：转办到这里的事项无人接收</Text>
              )}
              <View className='dept-card__actions'>
                <Button type='default' size='small' className='dept-edit' onClick={() => openDept(d)}>
                  修改
                </Button>
                <Button type='default' size='small' className='dept-add-contact' onClick={() => setSheet({ kind: 'contact', dept: d, phone: '', errors: {}, busy: false })}>
                  添加联系人
                </Button>
              </View>
            </Card>
          ))}
        </View>
      </PageWrapper>

      <Sheet
        open={sheet?.kind === 'dept'}
        title={sheet?.kind === 'dept' && sheet.id ? '修改职能部门' : '登记职能部门'}
        className='dept-sheet-edit'
        onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='dept-submit' loading={sheet?.kind === 'dept' && sheet.busy} onClick={() => void submitDept()}>
            保存
          </Button>
        }
      >
        {sheet?.kind === 'dept' ? (
          <View>
            <Field label='部门名称' required error={sheet.errors.name} className='dept-name'>
              <Input
                className='ui-input dept-name-input'
                placeholderClass='ui-placeholder'
                placeholder='例如：翠湖街道城管中队'
                value={sheet.name}
                maxlength={40}
                onInput={(e) => setSheet((s) => (s?.kind === 'dept' ? { ...s, name: e.detail.value, errors: { ...s.errors, name: undefined } } : s))}
              />
            </Field>
            <Field label='部门类别' required error={sheet.errors.kind} className='dept-kind'>
              <Chips
                name='kind'
                columns={3}
                options={KIND_OPTIONS}
                value={sheet.deptKind || null}
                onChange={(deptKind) => setSheet((s) => (s?.kind === 'dept' ? { ...s, deptKind, errors: { ...s.errors, kind: undefined } } : s))}
              />
            </Field>
            <Field label='办公电话（选填）' error={sheet.errors.phone} className='dept-phone'>
              <Input
                className='ui-input dept-phone-input'
                type='text'
                placeholderClass='ui-placeholder'
                placeholder='例如：0571-88881001'
                value={sheet.phone}
                maxlength={20}
                onInput={(e) => setSheet((s) => (s?.kind === 'dept' ? { ...s, phone: e.detail.value, errors: { ...s.errors, phone: undefined } } : s))}
              />
            </Field>
            {sheet.errors._ ? <Text className='form-error sheet-error'>{sheet.errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>

      <Sheet
        open={sheet?.kind === 'contact'}
        title={sheet?.kind === 'contact' ? `添加联系人 · ${sheet.dept.name}` : ''}
        className='dept-sheet-contact'
        onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='contact-submit' loading={sheet?.kind === 'contact' && sheet.busy} onClick={() => void submitContact()}>
            设为联系人
          </Button>
        }
      >
        {sheet?.kind === 'contact' ? (
          <View>
            <Text className='sheet__hint'>联系人需先在小程序中登记并填写手机号。设置后，此人可接收和处置转办到本部门的上报事项。</Text>
            <Field label='联系人手机号' required error={sheet.errors.phone} className='contact-phone'>
              <Input
                className='ui-input contact-phone-input'
                type='number'
                placeholderClass='ui-placeholder'
                placeholder='11 位手机号'
                value={sheet.phone}
                maxlength={11}
                onInput={(e) => setSheet((s) => (s?.kind === 'contact' ? { ...s, phone: e.detail.value, errors: {} } : s))}
              />
            </Field>
            {sheet.errors._ ? <Text className='form-error sheet-error'>{sheet.errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function DepartmentsPage() {
  return <DepartmentsView />
}
