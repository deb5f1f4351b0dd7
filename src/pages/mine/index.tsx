import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button, Cell, CellGroup, PageRoot, PageWrapper, Section, Switch, Tag, useElderMode } from '@/components'
import { DISPUTE_URLS } from '@/features/dispute/config'
import { VERIFY_HINT, avatarGlyph, hasWorkbench, isStaffRole, roleLabels } from '@/features/profile/format'
import {
  INVITE_URL,
  MY_BOOKINGS_URL,
  MY_DISPUTES_URL,
  ONBOARDING_URL,
  PRIVACY_URL,
  PROFILE_EDIT_URL,
  RESIDENTS_URL,
} from '@/features/profile/routes'
import { DELETIONS_URL, MY_DATA_URL } from '@/features/privacy/routes'
import { useSession } from '@/features/profile/useSession'
import { canKeepTemplates, isCaseHandler } from '@/features/cases/format'
import { MESSAGE_URLS } from '@/features/message/config'
import { VOLUNTEER_URLS } from '@/features/volunteer/config'
import { PROPERTY_URLS } from '@/features/property/config'
import { WORK_URL } from '@/features/work/config'
import { hasWorkRole } from '@/features/work/badge'
import { useWorkCount } from '@/features/work/useWorkCount'
import { STATS_URLS } from '@/features/stats/config'
import type { Profile } from '@/shared/domain/user'
import './index.css'

const IS_H5 = process.env.TARO_ENV === 'h5'

const go = (url: string) => () => void Taro.navigateTo({ url }).catch(() => undefined)

function ProfileCard({ profile }: { profile: Profile }) {
  return (
    <View className='profile-card'>
      <View className='profile-card__avatar'>
        <Text>{avatarGlyph(profile.name)}</Text>
      </View>
      <View className='profile-card__main'>
        <Text className='profile-card__name'>{profile.name ?? '未留姓名'}</Text>
        <Text className='profile-card__phone'>{profile.phoneMasked ?? '未登记手机号'}</Text>
        <View className='profile-card__meta'>
          {profile.verified ? (
            <Tag type='success' className='profile-verified'>
              已认证
            </Tag>
          ) : (
            <Tag type='warning' className='profile-unverified'>
              待认证
            </Tag>
          )}
          {roleLabels(profile.roles).map((label) => (
            <Tag key={label} type='info' className='profile-role'>
              {label}
            </Tag>
          ))}
        </View>
      </View>
    </View>
  )
}

/** 我的: who I am, where I live, my cases and bookings, the workbench for staff, settings. */
export default function MinePage() {
  const { elder, setElder } = useElderMode()
  const { session, loading, error, reload } = useSession()
  const profile = session?.profile ?? null
  const workCount = useWorkCount()

  usePullDownRefresh(() => {
    void reload().finally(() => void Taro.stopPullDownRefresh())
  })

  return (
    <PageRoot className='mine'>
      <PageWrapper loading={loading} error={error} onRetry={() => void reload()} skeletonRows={1}>
        {profile ? (
          <View className='mine-profile'>
            <ProfileCard profile={profile} />

            <Section title='我的住址'>
              <CellGroup>
                <Cell
                  className='mine-address'
                  title={profile.address.text}
                  description={`${profile.address.community.name} · ${profile.address.gridName ?? '暂未划分网格'}`}
                  arrow={false}
                />
                {profile.verified ? null : (
                  <View className='mine-verify-hint'>
                    <Text>住址待认证：{VERIFY_HINT}</Text>
                  </View>
                )}
                <Cell className='mine-edit-address' title='修改住址' onClick={go(ONBOARDING_URL)} />
              </CellGroup>
            </Section>

            <Section title='我的办事'>
              <CellGroup>
                <Cell className='mine-disputes' title='我的纠纷' description='调解进度、回访评价' onClick={go(MY_DISPUTES_URL)} />
                <Cell className='mine-messages' title='我的留言' description='咨询建议、社区答复' onClick={go(MESSAGE_URLS.mine)} />
                <Cell className='mine-bookings' title='我的预约' description='场地预约、签到码' onClick={go(MY_BOOKINGS_URL)} />
                <Cell className='mine-volunteer' title='我的志愿' description='报名的活动、工时积分、志愿服务证明' onClick={go(VOLUNTEER_URLS.mine)} />
              </CellGroup>
            </Section>

            {hasWorkbench(profile.roles) || isCaseHandler(profile.roles) || hasWorkRole(profile.roles) || profile.roles.includes('property') ? (
              <Section title='工作台' className='mine-workbench'>
                <CellGroup>
                  {hasWorkRole(profile.roles) ? (
                    <Cell
                      className='mine-work'
                      title='我的待办'
                      description='纠纷、留言、预约、活动等待办，超期在前'
                      value={workCount > 0 ? `${workCount} 项` : undefined}
                      onClick={go(WORK_URL)}
                    />
                  ) : null}
                  {hasWorkbench(profile.roles) ? <Cell className='mine-residents' title='居民认证' description='认证住址、设置角色' onClick={go(RESIDENTS_URL)} /> : null}
                  {hasWorkbench(profile.roles) || profile.roles.includes('street') ? (
                    <Cell className='mine-stats' title='统计与台账' description='三率、场地利用率、志愿工时、物业评分，导出工作台账' onClick={go(STATS_URLS.index())} />
                  ) : null}
                  {isStaffRole(profile.roles) ? <Cell className='mine-deletions' title='注销申请' description='办理居民的注销，删除个人信息' onClick={go(DELETIONS_URL)} /> : null}
                  {profile.roles.includes('grid_worker') ? (
                    <Cell className='mine-invite' title='生成邀请码' description='住户填写后住址立即认证' onClick={go(INVITE_URL)} />
                  ) : null}
                  {isCaseHandler(profile.roles) ? (
                    <Cell className='mine-message-inbox' title='留言办理' description='按时限答复居民留言' onClick={go(MESSAGE_URLS.inbox)} />
                  ) : null}
                  {canKeepTemplates(profile.roles) ? (
                    <Cell className='mine-message-templates' title='常用回复' description='答复留言时一键插入' onClick={go(MESSAGE_URLS.templates)} />
                  ) : null}
                  {profile.roles.includes('street') ? (
                    <>
                      <Cell className='mine-street-queue' title='街道督办' description='各社区上报到街道的纠纷，受理或退回社区' onClick={go(DISPUTE_URLS.queue)} />
                      <Cell className='mine-street-stats' title='各社区统计' description='受理量、按期受理率、调解成功率、满意率' onClick={go(DISPUTE_URLS.statsOf('dispute'))} />
                    </>
                  ) : null}
                  {isStaffRole(profile.roles) ? (
                    <Cell className='mine-volunteer-manage' title='志愿活动管理' description='发布活动、签到二维码、名单、导出工时' onClick={go(VOLUNTEER_URLS.list)} />
                  ) : null}
                  {isStaffRole(profile.roles) ? (
                    <Cell className='mine-property-close' title='物业季度评定' description='计算、申诉、公布红黑榜' onClick={go(PROPERTY_URLS.close)} />
                  ) : null}
                  {profile.roles.includes('property') ? (
                    <Cell className='mine-property-results' title='本公司评定结果' description='查看季度结果、提出申诉' onClick={go(PROPERTY_URLS.results)} />
                  ) : null}
                </CellGroup>
              </Section>
            ) : null}
          </View>
        ) : (
          <View className='mine-cta'>
            <Text className='mine-cta__title'>欢迎来到邻里共治</Text>
            <Text className='mine-cta__text'>完善住址后，即可使用纠纷调解、场地预约、志愿活动等社区服务。</Text>
            <Button type='primary' block className='mine-onboard' onClick={go(ONBOARDING_URL)}>
              完善住址
            </Button>
          </View>
        )}
      </PageWrapper>

      <Section title='设置'>
        <CellGroup>
          <Cell className='elder-mode-cell' title='长辈模式' description='字体更大、按钮更大、页面更简洁' arrow={false}>
            <Switch className='elder-switch' checked={elder} label='长辈模式' onChange={setElder} />
          </Cell>
          {profile ? <Cell className='mine-edit-profile' title='修改资料' description='姓名、手机号、报到单位' onClick={go(PROFILE_EDIT_URL)} /> : null}
          <Cell className='mine-my-data' title='我的数据' description='查看、导出我的信息，申请注销' onClick={go(MY_DATA_URL)} />
          <Cell className='mine-privacy' title='用户隐私保护指引' onClick={go(PRIVACY_URL)} />
        </CellGroup>
      </Section>

      {IS_H5 ? (
        <View
          className='mine-dev-login'
          onClick={() => {
            window.location.href = '/dev/login'
          }}
        >
          <Text>切换演示身份</Text>
        </View>
      ) : null}
    </PageRoot>
  )
}
