import { PageRoot, PageWrapper, Section } from '@/components'

/**
 * 入驻 / 完善住址 (subpackage `packages/onboarding`).
 *
 * TODO(features/onboarding): pick community → estate → building → unit (Field + Picker),
 * optional real name and phone (weapp: Button openType='getPhoneNumber'; H5: typed), submit
 * through src/services. Load the option lists with plain functions outside hooks.
 */
export default function OnboardingPage() {
  return (
    <PageRoot className='onboarding'>
      <Section title='完善住址'>
        <PageWrapper empty emptyText='选择社区、小区、楼栋和单元的功能即将开放' />
      </Section>
    </PageRoot>
  )
}
