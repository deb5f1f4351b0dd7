/**
 * App configuration (app.json). Tab-bar pages must live in the main package; every feature
 * lives in its own subpackage (分包) under `packages/<feature>` — add it to `subPackages` below.
 */
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/services/index', 'pages/messages/index', 'pages/mine/index'],
  subPackages: [
    // 入驻 / 完善住址, 隐私保护指引, 修改资料, 我的数据 (导出, 注销)
    { root: 'packages/onboarding', pages: ['pages/index/index', 'pages/privacy/index', 'pages/profile/index', 'pages/data/index'] },
    // 工作台: 居民认证, 生成邀请码, 注销申请
    { root: 'packages/staff', pages: ['pages/residents/index', 'pages/invite/index', 'pages/deletions/index'] },
    // 工作台 (issue 15): every queue waiting for grid workers, staff, admins and the street
    { root: 'packages/work', pages: ['pages/index/index'] },
    // 邻里纠纷调解
    { root: 'packages/dispute', pages: ['pages/mine/index', 'pages/new/index', 'pages/detail/index', 'pages/queue/index', 'pages/stats/index'] },
    // 居民留言: 写留言, 我的留言, 留言详情, 留言墙, 留言办理, 常用回复
    {
      root: 'packages/message',
      pages: ['pages/mine/index', 'pages/new/index', 'pages/detail/index', 'pages/wall/index', 'pages/inbox/index', 'pages/templates/index'],
    },
    // 党群服务中心场地预约
    {
      root: 'packages/booking',
      pages: [
        'pages/rooms/index',
        'pages/room/index',
        'pages/mine/index',
        'pages/detail/index',
        'pages/pending/index',
        'pages/calendar/index',
        'pages/verify/index',
        'pages/manage/index',
        'pages/edit/index',
      ],
    },
    // 志愿服务活动: 活动列表, 详情, 我的志愿, 志愿服务证明; staff: 编辑, 名单, 签到二维码, 导出
    {
      root: 'packages/volunteer',
      pages: ['pages/list/index', 'pages/detail/index', 'pages/mine/index', 'pages/certificate/index', 'pages/edit/index', 'pages/roster/index', 'pages/qr/index', 'pages/export/index'],
    },
    // 物业服务评价与红黑榜: 红黑榜, 公司详情, 评价; staff: 季度评定, 公司管理, 违规记录, 投诉认定, 集中评价核查; admin: 计分标准设置; 物业联系人: 评定结果与申诉
    {
      root: 'packages/property',
      pages: [
        'pages/board/index',
        'pages/company/index',
        'pages/rate/index',
        'pages/close/index',
        'pages/companies/index',
        'pages/violations/index',
        'pages/complaints/index',
        'pages/bursts/index',
        'pages/results/index',
        'pages/settings/index',
      ],
    },
    // 网格化管理: 网格工作, 网格户籍, 住户, 待走访, 巡查上报, 上报事项, 上报详情 (the server's caseLink for events), 网格统计; street: 职能部门; admin: 网格设置
    {
      root: 'packages/grid',
      pages: [
        'pages/home/index',
        'pages/households/index',
        'pages/household/index',
        'pages/due/index',
        'pages/report/index',
        'pages/events/index',
        'pages/event/index',
        'pages/stats/index',
        'pages/departments/index',
        'pages/settings/index',
      ],
    },
    // 统计与台账 (staff, admins, grid workers, the street): the month's figures as charts, the .xlsx 工作台账
    { root: 'packages/stats', pages: ['pages/index/index'] },
  ],
  // WeChat injects a page's custom components only when the page uses them (按需注入): less code
  // evaluated at start-up. H5 ignores the key.
  lazyCodeLoading: 'requiredComponents',
  // WeChat's privacy authorisation (issue 14): privacy APIs wait for wx.onNeedPrivacyAuthorization,
  // answered by our consent sheet (src/services/privacy.ts, components/PrivacyConsent). Always on
  // since 2023-09-15; declared so the behaviour does not depend on the date.
  __usePrivacyCheck__: true,
  window: {
    navigationBarTitleText: '邻里共治',
    navigationBarBackgroundColor: '#f5f6f7',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#5f6670',
    selectedColor: '#c8161d',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/home/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/services/index', text: '办事', iconPath: 'assets/tab/services.png', selectedIconPath: 'assets/tab/services-active.png' },
      { pagePath: 'pages/messages/index', text: '消息', iconPath: 'assets/tab/messages.png', selectedIconPath: 'assets/tab/messages-active.png' },
      { pagePath: 'pages/mine/index', text: '我的', iconPath: 'assets/tab/mine.png', selectedIconPath: 'assets/tab/mine-active.png' },
    ],
  },
})
