/**
 * The production adapter's side of the media check (platform/wx) with wx-server-sdk replaced by a
 * recorder: mediaCheckAsync's trace id is kept (the cloud call spells it `traceId`, the HTTPS API
 * `trace_id`), and the `wxa_media_check` push is told from a person's call by where it comes from.
 */
let mockContext: Record<string, unknown> = {}
let mockAnswer: Record<string, unknown> = {}
const mockChecks: unknown[] = []

jest.mock('wx-server-sdk', () => ({
  __esModule: true,
  default: {
    init: () => undefined,
    DYNAMIC_CURRENT_ENV: Symbol('env'),
    database: () => ({}),
    getWXContext: () => mockContext,
    getTempFileURL: async ({ fileList }: { fileList: string[] }) => ({ fileList: fileList.map((f) => ({ fileID: f, tempFileURL: `https://tmp.example/${f.length}`, status: 0 })) }),
    openapi: {
      security: {
        mediaCheckAsync: async (args: unknown) => {
          mockChecks.push(args)
          return mockAnswer
        },
      },
    },
  },
}))

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mock
const { wxPlatform, wxInvocation } = require('../../cloudfunctions/src/platform/wx') as typeof import('../../cloudfunctions/src/platform/wx')

const push = { ToUserName: 'gh_x', FromUserName: 'o-res', CreateTime: 1, MsgType: 'event', Event: 'wxa_media_check', appid: 'wx1', trace_id: '690b03d2-301f6111-35ffbd44', version: 2, result: { suggest: 'pass', label: 100 } }

beforeEach(() => {
  mockContext = {}
  mockAnswer = {}
  mockChecks.length = 0
  jest.spyOn(console, 'log').mockImplementation(() => undefined)
})
afterEach(() => jest.restoreAllMocks())

describe('contentCheck.media', () => {
  it.each([
    ['traceId (cloud call)', { errCode: 0, errMsg: 'openapi.security.mediaCheckAsync:ok', traceId: '68da2ba7-3093634d-1368e8ef' }],
    ['trace_id (HTTPS API)', { errcode: 0, errmsg: 'ok', trace_id: '68da2ba7-3093634d-1368e8ef' }],
  ])('keeps the trace id answered as %s, the verdict pending', async (_l, answer) => {
    mockAnswer = answer
    const r = await wxPlatform().contentCheck.media('cloud://env.bucket/u/o-res/a.jpg', 'o-res')
    expect(r).toEqual({ verdict: 'pending', traceId: '68da2ba7-3093634d-1368e8ef' })
    expect(mockChecks).toEqual([expect.objectContaining({ mediaType: 2, version: 2, openid: 'o-res' })])
  })

  it('an answer without a trace id is an error, not a photo pending forever', async () => {
    mockAnswer = { errCode: 0 }
    await expect(wxPlatform().contentCheck.media('cloud://env.bucket/u/o-res/a.jpg', 'o-res')).rejects.toThrow(/trace id/)
  })
})

describe('wxInvocation', () => {
  it('a wxa_media_check push is the platform’s, with or without the OPENID WeChat names in it', () => {
    mockContext = { SOURCE: 'wx_unknown' }
    expect(wxInvocation(push)).toEqual({ openid: null, source: 'push' })
    mockContext = { OPENID: 'o-res' }
    expect(wxInvocation(push)).toMatchObject({ source: 'push' })
  })

  it.each(['wx_client', 'wx_devtools', 'wx_client,scf', 'wx_localdebug'])('the same event from a person (SOURCE %s) is a person’s call', (source) => {
    mockContext = { OPENID: 'o-res', SOURCE: source }
    expect(wxInvocation(push)).toEqual({ openid: 'o-res', source: 'person' })
  })

  it('other events are not pushes; the timer is unchanged', () => {
    mockContext = {}
    expect(wxInvocation({ ...push, Event: 'user_enter_tempsession' })).toEqual({ openid: null, source: 'person' })
    expect(wxInvocation({ action: 'get' })).toEqual({ openid: null, source: 'person' })
    expect(wxInvocation({ Type: 'Timer', TriggerName: 'tick' })).toEqual({ openid: null, source: 'timer' })
  })
})
