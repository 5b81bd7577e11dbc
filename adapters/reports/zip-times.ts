/**
 * Sets the modification time of every entry of a ZIP archive (an XLSX file
 * is one) to a given instant. exceljs hands its parts to JSZip, which
 * stamps each with the clock at the moment of writing, so two renderings of
 * the same report would differ in those bytes only. The times live in each
 * entry's local header and again in the central directory (PKWARE
 * APPNOTE 4.3.7 and 4.3.12), as MS-DOS date and time fields; an
 * "extended timestamp" extra field (0x5455), if a writer added one, is set
 * too. Nothing else is touched: the CRCs cover the contents, not the times.
 */

export class NotAZip extends Error {
  constructor(message: string) {
    super(message)
    this.name = "NotAZip"
  }
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const EXTENDED_TIMESTAMP = 0x5455

/** MS-DOS time and date of an instant, on the clock of Vietnam (UTC+7): ZIP times carry no zone. */
const dosTime = (isoInstant: string): { readonly time: number; readonly date: number; readonly unix: number } => {
  const ms = Date.parse(isoInstant)
  const local = new Date(ms + 7 * 3600_000)
  const year = Math.min(Math.max(local.getUTCFullYear(), 1980), 2107)
  return {
    time: (local.getUTCHours() << 11) | (local.getUTCMinutes() << 5) | Math.floor(local.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((local.getUTCMonth() + 1) << 5) | local.getUTCDate(),
    unix: Math.floor(ms / 1000) >>> 0
  }
}

const setExtendedTimestamps = (view: DataView, start: number, length: number, unix: number): void => {
  let at = start
  while (at + 4 <= start + length) {
    const id = view.getUint16(at, true)
    const size = view.getUint16(at + 2, true)
    if (id === EXTENDED_TIMESTAMP) {
      for (let t = at + 5; t + 4 <= at + 4 + size; t += 4) view.setUint32(t, unix, true)
    }
    at += 4 + size
  }
}

/** A copy of `zip` with every entry's time set to `isoInstant`. */
export const fixZipTimes = (zip: Uint8Array, isoInstant: string): Uint8Array => {
  const out = new Uint8Array(zip)
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  const { time, date, unix } = dosTime(isoInstant)

  let eocd = -1
  for (let i = out.length - 22; i >= Math.max(0, out.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new NotAZip("no end of central directory record: not a ZIP archive")
  const entries = view.getUint16(eocd + 10, true)
  let at = view.getUint32(eocd + 16, true)

  for (let n = 0; n < entries; n++) {
    if (at + 46 > out.length || view.getUint32(at, true) !== CENTRAL) throw new NotAZip(`central directory entry ${n} is damaged`)
    view.setUint16(at + 12, time, true)
    view.setUint16(at + 14, date, true)
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    setExtendedTimestamps(view, at + 46 + nameLength, extraLength, unix)

    const local = view.getUint32(at + 42, true)
    if (local + 30 > out.length || view.getUint32(local, true) !== LOCAL) throw new NotAZip(`local header of entry ${n} is damaged`)
    view.setUint16(local + 10, time, true)
    view.setUint16(local + 12, date, true)
    setExtendedTimestamps(view, local + 30 + view.getUint16(local + 26, true), view.getUint16(local + 28, true), unix)

    at += 46 + nameLength + extraLength + commentLength
  }
  return out
}
