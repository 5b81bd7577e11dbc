/**
 * SHA-256 (FIPS 180-4), incremental and synchronous.
 *
 * WebCrypto's `crypto.subtle.digest` takes the whole message at once and
 * answers asynchronously. A payout plan's lines run to hundreds of megabytes
 * for a million creditors, so they are hashed as they are serialised, one
 * line at a time, without ever holding the whole text; and approving a plan
 * stays a pure, synchronous function. The domain may import nothing but
 * effect, hence this small implementation; test/payout/sha256.test.ts checks
 * it against the NIST vectors and against node:crypto on random input.
 */

// Int32Array, not Uint32Array: words above 2^31 would otherwise be read as doubles, which is slow.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
])

const utf8 = new TextEncoder()

/** An incremental SHA-256: `update` any number of times, then `digestHex` once. */
export class Sha256 {
  private readonly state = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  ])
  private readonly block = new Uint8Array(64)
  private readonly words = new Int32Array(64)
  private filled = 0
  private length = 0
  private finished = false

  update(data: Uint8Array | string): this {
    if (this.finished) throw new Error("SHA-256: update after digest")
    const bytes = typeof data === "string" ? utf8.encode(data) : data
    this.length += bytes.length
    let offset = 0
    if (this.filled > 0) {
      const take = Math.min(64 - this.filled, bytes.length)
      this.block.set(bytes.subarray(0, take), this.filled)
      this.filled += take
      offset = take
      if (this.filled < 64) return this
      this.compress(this.block, 0)
      this.filled = 0
    }
    while (offset + 64 <= bytes.length) {
      this.compress(bytes, offset)
      offset += 64
    }
    if (offset < bytes.length) {
      this.block.set(bytes.subarray(offset), 0)
      this.filled = bytes.length - offset
    }
    return this
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error("SHA-256: digest taken twice")
    this.finished = true
    const bitLength = this.length * 8
    this.block[this.filled++] = 0x80
    if (this.filled > 56) {
      this.block.fill(0, this.filled)
      this.compress(this.block, 0)
      this.filled = 0
    }
    this.block.fill(0, this.filled, 56)
    // The length in bits, big-endian over 8 bytes; messages stay far below 2^53 bits.
    const high = Math.floor(bitLength / 0x1_0000_0000)
    const low = bitLength >>> 0
    this.block[56] = high >>> 24
    this.block[57] = high >>> 16
    this.block[58] = high >>> 8
    this.block[59] = high
    this.block[60] = low >>> 24
    this.block[61] = low >>> 16
    this.block[62] = low >>> 8
    this.block[63] = low
    this.compress(this.block, 0)
    const out = new Uint8Array(32)
    for (let i = 0; i < 8; i++) {
      const w = this.state[i]!
      out[4 * i] = w >>> 24
      out[4 * i + 1] = w >>> 16
      out[4 * i + 2] = w >>> 8
      out[4 * i + 3] = w
    }
    return out
  }

  digestHex(): string {
    let hex = ""
    for (const b of this.digest()) hex += b.toString(16).padStart(2, "0")
    return hex
  }

  private compress(bytes: Uint8Array, offset: number): void {
    const w = this.words
    for (let i = 0; i < 16; i++) {
      const j = offset + 4 * i
      w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!
      const b = w[i - 2]!
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3)
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10)
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0
    }
    const s = this.state
    let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!, e = s[4]!, f = s[5]!, g = s[6]!, h = s[7]!
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const ch = (e & f) ^ (~e & g)
      const t1 = (h + S1 + ch + K[i]! + w[i]!) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (S0 + maj) | 0
      h = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    s[0] = (s[0]! + a) | 0
    s[1] = (s[1]! + b) | 0
    s[2] = (s[2]! + c) | 0
    s[3] = (s[3]! + d) | 0
    s[4] = (s[4]! + e) | 0
    s[5] = (s[5]! + f) | 0
    s[6] = (s[6]! + g) | 0
    s[7] = (s[7]! + h) | 0
  }
}

/**
 * What hashing a plan needs of a SHA-256: bytes in, any number of times, then
 * the hex digest. `Sha256` is one; an adapter may pass a native one (e.g.
 * node:crypto's, several times faster on a million lines), which must give
 * the same digest.
 */
export interface IncrementalHash {
  update(data: Uint8Array): unknown
  digestHex(): string
}

export type NewHash = () => IncrementalHash

export const pureSha256: NewHash = () => new Sha256()

/** SHA-256 of bytes or of a string's UTF-8, in lowercase hex. */
export const sha256Hex = (data: Uint8Array | string): string => new Sha256().update(data).digestHex()
