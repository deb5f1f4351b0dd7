/**
 * 留言墙脱敏 (issue 9): the pure rule that removes personal details from a resident's message
 * before staff review it for the community's public wall. The rule proposes; staff still read
 * the result before publishing, so where a text is ambiguous the rule errs on the side of hiding
 * (a hidden word costs readability, a leaked phone number or name cannot be taken back).
 *
 * What it hides, each replaced whole by one Chinese placeholder (public wall: no partial masks
 * like 138****8000, which still leak digits):
 *  - email      `abc@qq.com`                                              → 【邮箱已隐藏】
 *  - idcard     18 digits (last may be X) or the old 15 digits, with a plausible birth date
 *                                                                          → 【身份证号已隐藏】
 *  - phone      mobiles 1[3-9]x xxxx xxxx (spaces/dashes, +86 / 0086 / 86 prefix, a user's own
 *               partial mask 138****8000), landlines with an area code 021-62345678 /
 *               (0571)8888888, and 7–8 digit local numbers right after 电话/座机/手机/拨打/打/tel…
 *                                                                          → 【电话已隐藏】
 *  - plate      licence plates 沪A12345, 京B·D1234F, 粤b 12345             → 【车牌号已隐藏】
 *  - room       building/unit/room forms 3栋1202, 3号楼2单元1202室, 2单元302, 12楼1202, 3#1202,
 *               3-1202, 3-2-1202; 1202室 / 1202房 / 1202号; a bare 3–4 digit number right after
 *               楼上/楼下/隔壁/对门/对面/住在/家住/住/门牌(号)/房号 or right before 业主/住户/租户/
 *               邻居/房东/家的…                                             → 【门牌号已隐藏】
 *  - name       every registered name of 2+ characters, longest first       → 【姓名已隐藏】
 *
 * What it keeps (false positives avoided on purpose): years 2026年, dates 11月30日 / 2026-11-30,
 * times 12:00, amounts 300元 / 100-200元, counts 3个 / 300户, floors alone 12楼 (a floor is shared
 * by many households), a building alone 3栋 / 3栋2单元, metro and bus lines 3号线 / 106路,
 * street addresses 长宁路1202号 (the compound's address, not a household), service numbers
 * 400-820-8820 / 12345 / 110, and long numbers that fit no personal pattern, e.g. the order
 * number 20261130123456 (14 digits: not a phone, not an ID card, no room context; it identifies
 * an order, not a resident). Not covered: QQ / WeChat ids, addresses outside the compound —
 * staff review catches those.
 *
 * Names: exact substrings of `opts.names` (the people registered in the community). A name is
 * hidden even inside a longer word — registered 李明 in 李明天来过 gives 【姓名已隐藏】天来过 —
 * because the text cannot tell "李明 天来过" from "李 明天来过" and hiding is the safe side. A
 * name that starts or ends with a Latin letter or digit must stand alone at that end (Tom is
 * not hidden inside Tomorrow). A surname with a title (王阿姨, 李叔叔, 张师傅) is NOT hidden:
 * dozens of residents share a surname, so it does not identify a registered person, and
 * hiding every surname + title would blank the neighbourly way residents write ("谢谢王阿姨").
 * Only the registered full name is hidden (王建华阿姨 → 【姓名已隐藏】阿姨). Given names alone
 * (建华) are not hidden.
 *
 * Properties: the rest of the text is untouched (punctuation, spacing, emoji); full-width
 * digits and letters (１３８…, ＡＢＣ) are recognised like half-width ones; redacting twice gives
 * the same text (placeholders already present are left alone and never matched inside); the
 * work is a handful of regexes without nested quantifiers plus one linear scan for names.
 */

export type RedactionKind = 'phone' | 'idcard' | 'room' | 'name' | 'plate' | 'email'

export interface RedactionHit {
  kind: RedactionKind
  /** The removed text exactly as it stood in the input. */
  original: string
}

export interface RedactionResult {
  text: string
  /** What was removed, in the order it appeared in the input. */
  hits: RedactionHit[]
}

/** The placeholder that replaces each kind of personal detail. */
export const REDACTION_PLACEHOLDERS: Readonly<Record<RedactionKind, string>> = {
  phone: '【电话已隐藏】',
  idcard: '【身份证号已隐藏】',
  room: '【门牌号已隐藏】',
  name: '【姓名已隐藏】',
  plate: '【车牌号已隐藏】',
  email: '【邮箱已隐藏】',
}

// ---------------------------------------------------------------- patterns
//
// The patterns run on a "shadow" of the text of the same length: full-width ASCII (U+FF01–FF5E)
// folded to half-width and U+3000 to a space, and every span already claimed (by a placeholder
// already in the text or by an earlier rule) overwritten with MASK, which no pattern matches.
// Replacements are then cut from the ORIGINAL text by index, so nothing else changes.

const MASK = '\uE000'

/** Chinese numerals used for buildings and units (三栋, 二单元). */
const CN = '[一二三四五六七八九十]'
/** A building: 3栋 / 3幢 / 3座 / 3号楼 / 3# / 3#楼 / 三栋 / A座; "12楼" (floor) only counts when a room follows. */
const BUILDING = String.raw`(?:[1-9][0-9]{0,2}|${CN}{1,3}|[A-Za-z]) ?(?:号楼|栋|幢|座|#楼?|楼)`
const UNIT = String.raw`(?:[1-9][0-9]?|${CN}{1,2}) ?单元`
/** A room number, optionally with its 室 / 房 / 号. */
const ROOM = String.raw`[0-9]{3,4}(?:室|房间|房|号)?`
/**
 * After a room number: not more digits, a decimal, a time, a range, or a unit that makes the
 * number a year, date, time, amount, count, size, floor, route or page.
 */
const END = String.raw`(?![0-9A-Za-z%]|[.:][0-9]|-[0-9]|[年月日天时分秒号元块角毛岁个只件次人名位户多余平米斤克吨度层楼路线条张本页期届万千百])`
/**
 * After a number that a strong context (楼上, 隔壁, 住在…) already marks as a room: as END, but
 * "楼上1202天天装修" is a room (天天 = every day), while "住300天" stays a duration.
 */
const END_AFTER_CONTEXT = String.raw`(?![0-9A-Za-z%]|[.:][0-9]|-[0-9]|天(?!天)|[年月日时分秒号元块角毛岁个只件次人名位户多余平米斤克吨度层楼路线条张本页期届万千百])`
/** Before a number: not inside a longer number, word, decimal, time or range. */
const START = String.raw`(?<![0-9A-Za-z.:#\-])`

interface Rule {
  kind: RedactionKind
  re: RegExp
}

const g = (source: string): RegExp => new RegExp(source, 'g')

/** In priority order: an earlier rule's match is masked before the next rule runs. */
const RULES: readonly Rule[] = [
  {
    kind: 'email',
    // Starts only at the beginning of a run of local-part characters, so a long run without an
    // @ is scanned once, not once per position.
    re: g(String.raw`(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9\-])`),
  },
  {
    kind: 'idcard',
    // 18 digits: region (6), birth date 18xx/19xx/20xx-MM-DD, sequence (3), check digit or X;
    // 15 digits: region, YYMMDD, sequence. The date check keeps order numbers out.
    re: g(
      String.raw`(?<![0-9])[1-9][0-9]{5} ?(?:(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]) ?[0-9]{3}[0-9Xx]|[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3})(?![0-9A-Za-z])`,
    ),
  },
  {
    kind: 'phone',
    // Mobile: 3-4-4 with optional single spaces or dashes, optional country prefix; also a mask
    // the writer typed themselves (138****8000 still shows seven digits).
    re: g(
      String.raw`(?<![0-9+])(?:(?:\+|00)86[ \-]?|\(\+?86\) ?|86[ \-]?)?1[3-9][0-9][ \-]?(?:[0-9]{4}|[*xX]{4})[ \-]?[0-9]{4}(?![0-9])`,
    ),
  },
  {
    kind: 'phone',
    // Landline with an area code: 010 / 02x + 8 digits, 0xxx + 7–8 digits.
    re: g(String.raw`(?<![0-9])(?:\(0[1-9][0-9]{1,2}\) ?|0[1-9][0-9]{1,2}[ \-]?)[2-9][0-9]{2,3}[ \-]?[0-9]{4}(?![0-9])`),
  },
  {
    kind: 'phone',
    // A local number without area code, only where the text says it is a phone number
    // (电话：62345678, 座机号码是 6234 5678); "订单号码20261130" is not such a place.
    re: g(
      String.raw`(?<=(?:电话|座机|手机|联系方式|联系电话|拨打|致电|打|[Tt][Ee][Ll])(?:号码?)?(?:是|为|:| ){0,2})[2-9][0-9]{2,3}[ \-]?[0-9]{4}(?![0-9])`,
    ),
  },
  {
    kind: 'plate',
    // Province + letter + optional separator + 5 (or 6, new energy) letters/digits, at least one
    // digit among them, optional 挂/学/警/港/澳/领.
    re: g(
      String.raw`[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Za-z][·•・. \-]?(?=[A-Za-z0-9]{0,5}[0-9])[A-Za-z0-9]{5,6}[挂学警港澳领]?(?![A-Za-z0-9])`,
    ),
  },
  {
    kind: 'room',
    // 3栋1202 · 3号楼2单元1202室 · 2单元302 · 12楼1202 · 3#1202
    re: g(String.raw`(?<![0-9A-Za-z])(?:${BUILDING}[ \-]?(?:${UNIT}[ \-]?)?|${UNIT}[ \-]?)${ROOM}${END}`),
  },
  {
    kind: 'room',
    // 3-1202 · 3-2-1202 (not 100-200元, not 400-820-8820, not 2026-11-30)
    re: g(String.raw`${START}[1-9][0-9]{0,2}-(?:[0-9]{1,2}-)?${ROOM}${END}`),
  },
  {
    kind: 'room',
    // 1202室 · 1202房 · 1202房间 (not 3000房租)
    re: g(String.raw`${START}[0-9]{3,4}(?:室|房间|房(?![租价东产贷款费源屋子]))${END}`),
  },
  {
    kind: 'room',
    // 1202号 (not 长宁路1202号, 第1202号, 3号线 / 5号楼 handled above or kept)
    re: g(String.raw`${START}(?<![路街道弄巷里村第编单期届])[0-9]{3,4}号(?![楼线院码地车位])${END}`),
  },
  {
    kind: 'room',
    // 楼上1202 · 隔壁的1203 · 住在1202 · 门牌号：1202
    re: g(
      String.raw`(?<=(?:楼上|楼下|隔壁|对门|对面|住在|家住|住|门牌号?|房号|房间号?)(?:的|是|为|:|：| ){0,2})[0-9]{3,4}${END_AFTER_CONTEXT}`,
    ),
  },
  {
    kind: 'room',
    // 1202的业主 · 1202住户 · 1202家的孩子
    re: g(String.raw`${START}[0-9]{3,4}(?=的?(?:业主|住户|租户|邻居|房东|那户|这户|家的|家里|家人))`),
  },
]

/** The placeholders as they may already stand in a text (a second pass leaves them alone). */
const PLACEHOLDER_RE = g(
  Object.values(REDACTION_PLACEHOLDERS)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
)

// ---------------------------------------------------------------- helpers

interface Span {
  start: number
  end: number
  kind: RedactionKind | null // null: a placeholder already in the text, kept as it is
}

/** Full-width ASCII → half-width, ideographic space → space; same length, index for index. */
function fold(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
}

/** `spans` come from one left-to-right scan: sorted and not overlapping. */
function maskSpans(shadow: string, spans: readonly Span[]): string {
  if (spans.length === 0) return shadow
  let out = ''
  let at = 0
  for (const { start, end } of spans) {
    out += shadow.slice(at, start) + MASK.repeat(end - start)
    at = end
  }
  return out + shadow.slice(at)
}

const isAsciiWordChar = (c: string | undefined): boolean => c !== undefined && /[0-9A-Za-z]/.test(c)

/** Registered names, folded, trimmed, de-duplicated, 2+ characters, grouped by first character, longest first. */
function nameIndex(names: readonly string[]): Map<string, string[]> {
  const unique = new Set<string>()
  for (const raw of names) {
    const name = fold(raw).trim()
    if (name.length >= 2 && !name.includes(MASK)) unique.add(name)
  }
  const byFirst = new Map<string, string[]>()
  for (const name of [...unique].sort((a, b) => b.length - a.length)) {
    const list = byFirst.get(name[0]!)
    if (list) list.push(name)
    else byFirst.set(name[0]!, [name])
  }
  return byFirst
}

/** One left-to-right scan; at each position the longest registered name that starts there wins. */
function findNames(shadow: string, byFirst: Map<string, string[]>): Span[] {
  const spans: Span[] = []
  let i = 0
  while (i < shadow.length) {
    const candidates = byFirst.get(shadow[i]!)
    const found = candidates?.find(
      (name) =>
        shadow.startsWith(name, i) &&
        !(isAsciiWordChar(name[0]) && isAsciiWordChar(shadow[i - 1])) &&
        !(isAsciiWordChar(name[name.length - 1]) && isAsciiWordChar(shadow[i + name.length])),
    )
    if (found) {
      spans.push({ start: i, end: i + found.length, kind: 'name' })
      i += found.length
    } else {
      i += 1
    }
  }
  return spans
}

// ---------------------------------------------------------------- the rule

/**
 * Removes phone numbers, ID-card numbers, room numbers, licence plates, emails and the names of
 * the community's registered people from `text`, each replaced by its Chinese placeholder
 * (REDACTION_PLACEHOLDERS). Idempotent: redact(redact(t).text).text === redact(t).text.
 */
export function redact(text: string, opts: { names: readonly string[] }): RedactionResult {
  const spans: Span[] = []
  let shadow = fold(text)

  const claim = (found: Span[]): void => {
    spans.push(...found)
    shadow = maskSpans(shadow, found)
  }

  claim([...shadow.matchAll(PLACEHOLDER_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length, kind: null })))
  for (const rule of RULES) {
    claim([...shadow.matchAll(rule.re)].map((m) => ({ start: m.index, end: m.index + m[0].length, kind: rule.kind })))
  }
  claim(findNames(shadow, nameIndex(opts.names)))

  spans.sort((a, b) => a.start - b.start)
  const hits: RedactionHit[] = []
  let out = ''
  let at = 0
  for (const span of spans) {
    if (span.kind === null) continue
    out += text.slice(at, span.start) + REDACTION_PLACEHOLDERS[span.kind]
    hits.push({ kind: span.kind, original: text.slice(span.start, span.end) })
    at = span.end
  }
  out += text.slice(at)
  return { text: out, hits }
}
