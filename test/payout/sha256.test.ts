import { describe, expect, test } from "bun:test"
import { createHash } from "node:crypto"
import fc from "fast-check"
import { Sha256, sha256Hex } from "../../domain/payout/sha256.ts"

const native = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex")

describe("SHA-256 (domain/payout/sha256.ts)", () => {
  test("FIPS 180-4 / NIST example vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    )
    expect(sha256Hex("a".repeat(1_000_000))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  })

  test("UTF-8 of Vietnamese text, as node:crypto hashes it", () => {
    const text = "Nguyễn Văn An — 248.146.349.020 đồng"
    expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"))
  })

  test("property: any message, split into any pieces, hashes as node:crypto hashes it whole", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat({ max: 600 }), { maxLength: 6 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        const h = new Sha256()
        let from = 0
        for (const p of [...points, bytes.length]) {
          h.update(bytes.subarray(from, p))
          from = p
        }
        expect(h.digestHex()).toBe(native(bytes))
      }),
      { numRuns: 400 }
    )
  })

  test("a digest is taken once; updating after it is a programming error", () => {
    const h = new Sha256().update("x")
    h.digest()
    expect(() => h.update("y")).toThrow()
    expect(() => h.digest()).toThrow()
  })
})
