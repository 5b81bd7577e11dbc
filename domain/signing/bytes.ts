/**
 * Small binary helpers for the QR token and the status lists: a growable
 * writer, a bounds-checked reader that reports instead of throwing, hex and
 * base64url. Hand-written because the formats are tiny and the domain may
 * import nothing but effect.
 */

export const toHex = (bytes: Uint8Array): string => {
  let s = ""
  for (const b of bytes) s += b.toString(16).padStart(2, "0")
  return s
}

export const fromHex = (hex: string): Uint8Array | undefined => {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) return undefined
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

export const toBase64Url = (bytes: Uint8Array): string => {
  let s = ""
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2
    for (let k = 0; k < chars; k++) s += B64URL[(n >> (18 - 6 * k)) & 63]
  }
  return s
}

export const fromBase64Url = (text: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    const chunk = text.slice(i, i + 4)
    let n = 0
    for (let k = 0; k < 4; k++) n = (n << 6) | (k < chunk.length ? B64URL.indexOf(chunk[k]!) : 0)
    for (let k = 0; k < chunk.length - 1; k++) out[o++] = (n >> (16 - 8 * k)) & 0xff
  }
  return out
}

export const concatBytes = (...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

const ascii = new TextEncoder()

export class ByteWriter {
  private chunks: Array<number> = []
  u8(n: number): this {
    this.chunks.push(n & 0xff)
    return this
  }
  uint(n: number, size: number): this {
    for (let k = size - 1; k >= 0; k--) this.chunks.push(Math.floor(n / 2 ** (8 * k)) & 0xff)
    return this
  }
  /** Unsigned LEB128. */
  varint(n: bigint | number): this {
    let v = BigInt(n)
    do {
      const low = Number(v & 0x7fn)
      v >>= 7n
      this.chunks.push(v > 0n ? low | 0x80 : low)
    } while (v > 0n)
    return this
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.chunks.push(x)
    return this
  }
  /** One length byte, then the UTF-8 bytes. */
  shortText(s: string): this {
    const b = ascii.encode(s)
    return this.u8(b.length).bytes(b)
  }
  /** Fixed-width ASCII. */
  fixedText(s: string): this {
    return this.bytes(ascii.encode(s))
  }
  done(): Uint8Array {
    return Uint8Array.from(this.chunks)
  }
}

/** Thrown only inside `readAll`, which turns it into a result. */
class Short {
  readonly what: string
  constructor(what: string) {
    this.what = what
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

export class ByteReader {
  offset = 0
  readonly buf: Uint8Array
  constructor(buf: Uint8Array) {
    this.buf = buf
  }
  get remaining(): number {
    return this.buf.length - this.offset
  }
  private take(n: number, what: string): Uint8Array {
    if (this.offset + n > this.buf.length) throw new Short(`it ends inside ${what}`)
    const out = this.buf.subarray(this.offset, this.offset + n)
    this.offset += n
    return out
  }
  u8(what: string): number {
    return this.take(1, what)[0]!
  }
  uint(size: number, what: string): number {
    const b = this.take(size, what)
    let n = 0
    for (const x of b) n = n * 256 + x
    return n
  }
  varint(what: string, maxBytes: number): bigint {
    let v = 0n
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8(what)
      v |= BigInt(b & 0x7f) << BigInt(7 * i)
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw new Short(`${what} is not minimally encoded`)
        return v
      }
    }
    throw new Short(`${what} is longer than ${maxBytes} bytes`)
  }
  bytes(n: number, what: string): Uint8Array {
    return this.take(n, what)
  }
  /** ASCII fields decode without TextDecoder: cheaper on the verify hot path. */
  ascii(n: number, what: string): string {
    const b = this.take(n, what)
    let s = ""
    for (const x of b) {
      if (x > 0x7e || x < 0x20) throw new Short(`${what} is not printable ASCII`)
      s += String.fromCharCode(x)
    }
    return s
  }
  shortAscii(what: string): string {
    return this.ascii(this.u8(`the length of ${what}`), what)
  }
  shortText(what: string): string {
    return this.utf8(this.u8(`the length of ${what}`), what)
  }
  utf8(n: number, what: string): string {
    const b = this.take(n, what)
    try {
      return utf8.decode(b)
    } catch {
      throw new Short(`${what} is not valid UTF-8`)
    }
  }
}

/** Runs a parser over a reader; a read past the end becomes `{ error }`. */
export const readAll = <A>(parse: () => A): { readonly value: A } | { readonly error: string } => {
  try {
    return { value: parse() }
  } catch (e) {
    if (e instanceof Short) return { error: e.what }
    throw e
  }
}

export const fail = (what: string): never => {
  throw new Short(what)
}
