/**
 * A Code 128 (subset C) barcode of the numeric check-in code, as bar widths: cheap to draw with
 * plain Views in weapp and H5, and read by `Taro.scanCode` (scanType barCode) on the staff's
 * phone. No dependency. Subset C packs two digits per symbol, so 6 digits are 3 symbols.
 */

/** Widths (bar, space, bar, space, bar, space) of Code 128 values 0–106; 106 is STOP (7 elements). */
const PATTERNS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
]
const START_C = 105
const STOP = 106

/** The symbol values of an even-length digit string in subset C, with start, checksum and stop. */
export function code128cValues(digits: string): number[] {
  if (!/^(\d\d)+$/.test(digits)) throw new RangeError('Code 128 C needs an even number of digits')
  const data: number[] = []
  for (let i = 0; i < digits.length; i += 2) data.push(Number(digits.slice(i, i + 2)))
  const checksum = data.reduce((sum, v, i) => sum + v * (i + 1), START_C) % 103
  return [START_C, ...data, checksum, STOP]
}

/** Alternating bar/space widths in modules, starting with a bar (no quiet zones). */
export function code128cWidths(digits: string): number[] {
  return code128cValues(digits).flatMap((v) => PATTERNS[v].split('').map(Number))
}
