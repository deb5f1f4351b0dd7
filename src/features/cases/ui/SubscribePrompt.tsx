import { View, Text } from '@tarojs/components'
import { useStaffSubscribePrompt } from '../staffSubscribe'

/** 「开启新事项提醒」: the queue's tap-to-subscribe banner for staff (see useStaffSubscribePrompt). */
export function StaffSubscribePrompt() {
  const prompt = useStaffSubscribePrompt()
  if (!prompt.visible) return null
  return (
    <View className='subscribe-prompt' hoverClass='subscribe-prompt--hover' onClick={prompt.enable}>
      <View className='subscribe-prompt__body'>
        <Text className='subscribe-prompt__title'>开启新事项提醒</Text>
        <Text className='subscribe-prompt__text'>有新的待办、超期事项时，通过微信服务通知提醒您</Text>
      </View>
      <View
        className='subscribe-prompt__close'
        onClick={(e) => {
          e.stopPropagation()
          prompt.dismiss()
        }}
      >
        <Text>今天不再提示</Text>
      </View>
    </View>
  )
}
