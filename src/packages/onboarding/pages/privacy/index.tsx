import { Text, View } from '@tarojs/components'
import { PageRoot } from '@/components'
import './index.css'

interface Part {
  title: string
  items: string[]
}

/** What is collected, why, who sees it, and how to get it back — in plain words. */
const PARTS: Part[] = [
  {
    title: '一、我们收集哪些信息',
    items: [
      '微信身份标识（OPENID）：由微信平台提供，用来识别您的账号，我们不会获取您的微信密码或聊天内容。',
      '住址：您选择的社区、小区、楼栋、单元和门牌号。',
      '姓名和手机号（选填）：由您自愿填写，或在您同意后通过微信手机号快速验证获取。',
      '照片和文字：您在提交纠纷、留言等事项时主动上传的内容。',
    ],
  },
  {
    title: '二、我们为什么收集',
    items: [
      '住址用于确认您是本社区居民、把您的事项分给所在网格的网格员，以及场地预约、物业评价等需要居民身份的服务。',
      '姓名和手机号用于工作人员在处理您的事项时与您联系、核实住址。',
      '照片和文字仅用于处理您提交的事项。所有文字和图片会经过微信内容安全检查。',
      '第一次选择照片、获取手机号前，我们会先请您阅读并同意本指引；您拒绝后仍可使用其他服务。',
      '行动不便或不使用手机的居民，可由本网格网格员或社区工作人员在征得您同意（当面或电话）后代为提交纠纷、预约场地；记录归您本人所有，并注明由谁代办。',
    ],
  },
  {
    title: '三、谁能看到您的信息',
    items: [
      '社区工作人员、网格员只能看到本社区（本网格）居民的信息，用于认证住址和处理事项。',
      '手机号对其他人一律打码显示（如 138****1234），只有正在处理您本人事项的工作人员才能看到完整号码。',
      '纠纷中的对方信息不会展示给其他居民；公开留言会隐去个人信息。',
      '我们不会把您的信息出售或提供给与社区服务无关的任何第三方。',
    ],
  },
  {
    title: '四、信息的保存',
    items: ['信息保存在微信云开发（腾讯云）提供的数据库中，仅用于本小程序的社区服务。事项记录按社区工作台账要求保存。'],
  },
  {
    title: '五、查看、导出和删除',
    items: [
      '您可以在「我的」页面查看和修改自己的姓名、手机号和住址。',
      '在「我的 → 我的数据」可以查看我们为您保存的全部信息和记录，并导出为文件。',
      '在「我的数据」中可以申请注销：社区工作人员办理后，您的姓名、手机号、住址等个人信息会从各项服务中删除，纠纷、留言等事项记录以「已注销居民」匿名保留。',
    ],
  },
  {
    title: '六、联系我们',
    items: ['对本指引有任何疑问，请联系社区工作人员，或前往社区党群服务中心咨询。'],
  },
]

/** 用户隐私保护指引. */
export default function PrivacyPage() {
  return (
    <PageRoot className='privacy'>
      <View className='privacy-doc'>
        <Text className='privacy-doc__title'>邻里共治用户隐私保护指引</Text>
        <Text className='privacy-doc__lead'>
          我们重视您的个人信息。本指引说明「邻里共治」小程序收集哪些信息、为什么收集、谁能看到，以及您如何查看、导出和删除自己的信息。
        </Text>
        {PARTS.map((part) => (
          <View key={part.title} className='privacy-doc__part'>
            <Text className='privacy-doc__heading'>{part.title}</Text>
            {part.items.map((item) => (
              <Text key={item} className='privacy-doc__item'>
                {item}
              </Text>
            ))}
          </View>
        ))}
      </View>
    </PageRoot>
  )
}
