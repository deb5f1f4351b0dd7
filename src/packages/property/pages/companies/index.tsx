import Taro from '@tarojs/taro'
import { View, Text, Input, Picker } from '@tarojs/components'
import { useRef, useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Sheet } from '@/components'
import { addContact, assignEstate, removeContact, saveCompany, type CompanyInput } from '@/features/property/api'
import { PROPERTY_URLS } from '@/features/property/config'
import { fieldErrorsOf } from '@/features/property/form'
import { useCompanies } from '@/features/property/hooks'
import { ApiError, newRequestId } from '@/services/gateway'
import type { CompaniesOutT } from '@/shared/api/property'
import { phoneProblem } from '@/shared/ids'
import { ErrorLine } from '../../components/ReasonSheet'
import '../../components/property.css'

type Company = CompaniesOutT['companies'][number]
type SheetState =
  | { kind: 'company'; id?: string; version?: number; name: string; phone: string; errors: Partial<Record<'name' | 'phone' | '_', string>>; busy: boolean }
  | { kind: 'contact'; company: Company; phone: string; errors: Partial<Record<'phone' | '_', string>>; busy: boolean }

const toast = (title: string, icon: 'none' | 'success' = 'none') => void Taro.showToast({ title, icon, duration: 2500 })
const errorText = (e: unknown, fallback: string) => (e instanceof Error && e.message ? e.message : fallback)

/** 物业公司管理 (staff): companies, the estates each serves, their contacts (物业联系人). */
export function CompaniesView() {
  const res = useCompanies()
  const [sheet, setSheet] = useState<SheetState | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  // One request id per new company being written: a retry after a lost answer does not create two.
  const requestId = useRef<string | null>(null)
  const data = res.data

  if (!data) {
    return (
      <PageRoot className='pm-companies'>
        <PageWrapper loading={res.loading} error={res.loading ? null : res.error} onRetry={() => void res.reload()} />
      </PageRoot>
    )
  }

  const refreshOnConflict = async (e: unknown): Promise<boolean> => {
    if (e instanceof ApiError && e.code === 'CONFLICT') {
      toast('信息刚刚有了变化，已刷新')
      setSheet(null)
      await res.reload()
      return true
    }
    return false
  }

  const openCompany = (c?: Company) => {
    if (!c) requestId.current = newRequestId()
    setSheet({ kind: 'company', id: c?.id, version: c?.version, name: c?.name ?? '', phone: c?.phone ?? '', errors: {}, busy: false })
  }

  const submitCompany = async () => {
    if (!sheet || sheet.kind !== 'company' || sheet.busy) return
    if (!sheet.name.trim()) {
      setSheet({ ...sheet, errors: { name: '请填写公司名称' } })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    if (!sheet.id && !requestId.current) requestId.current = newRequestId()
    const input: CompanyInput = { id: sheet.id, version: sheet.version, name: sheet.name.trim(), phone: sheet.phone }
    try {
      res.setData(await saveCompany(input, sheet.id ? undefined : (requestId.current ?? undefined)))
      requestId.current = null
      setSheet(null)
      toast(sheet.id ? '已保存' : '已添加', 'success')
    } catch (e) {
      if (await refreshOnConflict(e)) return
      const errors = fieldErrorsOf(e, ['name', 'phone'] as const, '保存失败，请稍后重试')
      setSheet((s) => (s?.kind === 'company' ? { ...s, busy: false, errors } : s))
    }
  }

  const submitContact = async () => {
    if (!sheet || sheet.kind !== 'contact' || sheet.busy) return
    const phone = phoneProblem(sheet.phone)
    if (phone) {
      setSheet({ ...sheet, errors: { phone } })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    try {
      res.setData(await addContact(sheet.company.id, sheet.phone))
      setSheet(null)
      toast('已设为联系人', 'success')
    } catch (e) {
      const errors = fieldErrorsOf(e, ['phone'] as const)
      setSheet((s) => (s?.kind === 'contact' ? { ...s, busy: false, errors } : s))
    }
  }

  const remove = async (c: Company, person: Company['contacts'][number]) => {
    const ok = await Taro.showModal({ title: '取消联系人', content: `${person.name} 将不再代表 ${c.name} 查看评定结果和申诉。`, confirmText: '确认取消', cancelText: '再想想', confirmColor: '#c8161d' }).catch(() => ({ confirm: false }))
    if (!ok.confirm) return
    setBusy(`contact:${person.openid}`)
    try {
      res.setData(await removeContact(c.id, person.openid))
      toast('已取消', 'success')
    } catch (e) {
      toast(errorText(e, '操作失败，请稍后重试'))
    } finally {
      setBusy(null)
    }
  }

  const assign = async (estateId: string, companyId: string | null) => {
    setBusy(`estate:${estateId}`)
    try {
      res.setData(await assignEstate(estateId, companyId))
      toast('已保存', 'success')
    } catch (e) {
      toast(errorText(e, '保存失败，请稍后重试'))
    } finally {
      setBusy(null)
    }
  }

  const companyOptions = ['暂无物业（未指定）', ...data.companies.map((c) => c.name)]
  const nameOf = (id: string | null) => data.companies.find((c) => c.id === id)?.name ?? '暂无物业（未指定）'

  return (
    <PageRoot className='pm-companies'>
      <View className='pm-cta'>
        <Button type='primary' block className='pm-add-company' onClick={() => openCompany()}>
          新增物业公司
        </Button>
      </View>

      <PageWrapper empty={data.companies.length === 0} emptyText='本社区还没有登记物业公司'>
        <View className='pm-list'>
          {data.companies.map((c) => (
            <Card key={c.id} title={c.name} className={`pm-company-card pm-company-card--${c.id}`}>
              <Text className='pm-sub'>电话：{c.phone ?? '未登记'}</Text>
              <Text className='pm-sub pm-company-estates'>服务小区：{c.estates.length ? c.estates.map((e) => e.name).join('、') : '暂无'}</Text>
              <Text className='pm-item__title pm-contacts-title'>联系人</Text>
              {c.contacts.length ? (
                c.contacts.map((p) => (
                  <View key={p.openid} className='pm-contact'>
                    <Text className='pm-text'>{p.name}</Text>
                    <Button type='default' size='small' className='pm-remove-contact' loading={busy === `contact:${p.openid}`} onClick={() => void remove(c, p)}>
                      取消联系人
                    </Button>
                  </View>
                ))
              ) : (
                <Text className='pm-sub'>暂无联系人：联系人可查看本公司的评定结果并申诉</Text>
              )}
              <View className='pm-actions'>
                <Button type='default' size='small' className='pm-edit-company' onClick={() => openCompany(c)}>
                  修改
                </Button>
                <Button type='default' size='small' className='pm-add-contact' onClick={() => setSheet({ kind: 'contact', company: c, phone: '', errors: {}, busy: false })}>
                  添加联系人
                </Button>
                <Button type='default' size='small' className='pm-go-violations' onClick={() => void Taro.navigateTo({ url: PROPERTY_URLS.violations(c.id) })}>
                  违规记录
                </Button>
              </View>
            </Card>
          ))}
        </View>
      </PageWrapper>

      {data.estates.length ? (
        <View className='pm-list'>
          <Card title='小区由哪家物业服务' className='pm-estates-card'>
            {data.estates.map((e) => (
              <View key={e.id} className={`pm-picker-row pm-estate pm-estate--${e.id}`}>
                <Text className='pm-picker-row__label'>{e.name}</Text>
                <Picker
                  mode='selector'
                  range={companyOptions}
                  value={Math.max(0, data.companies.findIndex((c) => c.id === e.companyId) + 1)}
                  disabled={busy === `estate:${e.id}`}
                  onChange={(ev) => {
                    const i = Number(ev.detail.value)
                    const next = i === 0 ? null : (data.companies[i - 1]?.id ?? null)
                    if (next !== e.companyId) void assign(e.id, next)
                  }}
                  className='pm-picker-row__picker'
                >
                  <View className='ui-picker pm-estate-company'>
                    <Text>{nameOf(e.companyId)} ▾</Text>
                  </View>
                </Picker>
              </View>
            ))}
          </Card>
        </View>
      ) : null}

      <Sheet
        open={sheet?.kind === 'company'}
        title={sheet?.kind === 'company' && sheet.id ? '修改物业公司' : '新增物业公司'}
        className='pm-company-sheet'
        onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='pm-company-submit' loading={sheet?.kind === 'company' && sheet.busy} onClick={() => void submitCompany()}>
            保存
          </Button>
        }
      >
        {sheet?.kind === 'company' ? (
          <View>
            <Field label='公司名称' required error={sheet.errors.name}>
              <Input
                className='ui-input pm-company-name-input'
                placeholderClass='ui-placeholder'
                placeholder='例如：安居物业服务有限公司'
                maxlength={40}
                value={sheet.name}
                onInput={(e) => {
                  const name = e.detail.value
                  setSheet((s) => (s?.kind === 'company' ? { ...s, name, errors: { ...s.errors, name: undefined, _: undefined } } : s))
                }}
              />
            </Field>
            <Field label='联系电话' error={sheet.errors.phone} hint='选填，居民可在公司页面拨打'>
              <Input
                className='ui-input pm-company-phone-input'
                placeholderClass='ui-placeholder'
                placeholder='例如：0571-88880001'
                maxlength={20}
                value={sheet.phone}
                onInput={(e) => {
                  const phone = e.detail.value
                  setSheet((s) => (s?.kind === 'company' ? { ...s, phone, errors: { ...s.errors, phone: undefined, _: undefined } } : s))
                }}
              />
            </Field>
            <ErrorLine text={sheet.errors._} />
          </View>
        ) : null}
      </Sheet>

      <Sheet
        open={sheet?.kind === 'contact'}
        title={sheet?.kind === 'contact' ? `添加联系人：${sheet.company.name}` : ''}
        className='pm-contact-sheet'
        onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='pm-contact-submit' loading={sheet?.kind === 'contact' && sheet.busy} onClick={() => void submitContact()}>
            设为联系人
          </Button>
        }
      >
        {sheet?.kind === 'contact' ? (
          <View>
            <Field label='手机号' required error={sheet.errors.phone} hint='此人需已在小程序登记该手机号'>
              <Input
                className='ui-input pm-contact-phone'
                type='number'
                placeholderClass='ui-placeholder'
                placeholder='11 位手机号'
                maxlength={11}
                value={sheet.phone}
                onInput={(e) => {
                  const phone = e.detail.value
                  setSheet((s) => (s?.kind === 'contact' ? { ...s, phone, errors: {} } : s))
                }}
              />
            </Field>
            <ErrorLine text={sheet.errors._} />
          </View>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function CompaniesPage() {
  return <CompaniesView />
}
