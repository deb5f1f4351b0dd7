import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button, Cell, CellGroup, PageRoot, Section, Switch, Tag, useElderMode } from '@/components'
import { ONBOARDING_URL } from '@/features/entries'
import './index.css'

/**
 * 我的: profile and settings.
 *
 * TODO(features/profile): load the resident's profile (name, address, role, verified) with a
 * plain `loadProfile()` from src/services and fill the card; until then it shows the
 * not-onboarded state.
 */
export default function MinePage() {
  const { elder, setElder } = useElderMode()
  return (
    <PageRoot className='mine'>
      <View className='profile-card'>
        <View className='profile-card__avatar'>
          <Text>居</Text>
        </View>
        <View className='profile-card__main'>
          <Text className='profile-card__name'>居民</Text>
          <View className='profile-card__meta'>
            <Tag type='muted'>未完善住址</Tag>
          </View>
        </View>
        <Button type='plain' size='small' className='profile-card__action' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
          完善住址
        </Button>
      </View>

      <Section title='设置'>
        <CellGroup>
          <Cell className='elder-mode-cell' title='长辈模式' description='字体更大、按钮更大、页面更简洁' arrow={false}>
            <Switch className='elder-switch' checked={elder} label='长辈模式' onChange={setElder} />
          </Cell>
        </CellGroup>
      </Section>
    </PageRoot>
  )
}
