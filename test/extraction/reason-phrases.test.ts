/**
 * Real words that pair with no neighbour in a payment reason, corrected by
 * the word pairs of real reasons (domain/extraction/gazetteer/reason-phrases.ts):
 * "Nộp liền" → "Nộp tiền", "chi phi" → "chi phí", "chủ phí" → "chi phí";
 * reasons made of known phrases are never changed.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { correctReason } from "../../domain/extraction/gazetteer/correct-words.ts"
import { correctByPairs } from "../../domain/extraction/gazetteer/reason-phrases.ts"

const AGAINST = "word pairs of payment reasons"
const reasons = [
  "Nộp tiền thi hành án", "Nộp tiền bồi thường thiệt hại theo bản án", "Nộp tiền cấp dưỡng nuôi con", "Nộp tiền lãi chậm thi hành án",
  "Thanh toán tiền trả nợ theo hợp đồng vay", "Nộp tiền án phí hình sự sơ thẩm", "Nộp tiền án phí dân sự phúc thẩm",
  "Nộp tiền tạm ứng chi phí định giá tài sản", "Nộp tiền chi phí cưỡng chế", "Nộp tiền trả nợ theo bản án", "Nộp tiền mua nhà cho con"
]

describe("reasons corrected by word pairs", () => {
  test("a real word that pairs with neither neighbour becomes the one reason word a slip away that does, reported", () => {
    expect(correctReason("Nộp liền bồi thường thiệt hại theo bản án")).toEqual({
      value: "Nộp tiền bồi thường thiệt hại theo bản án",
      corrections: [{ from: "liền", to: "tiền", against: AGAINST }]
    })
    expect(correctReason("Nộp tiền tạm ứng chi phi định giá tài sản").value).toBe("Nộp tiền tạm ứng chi phí định giá tài sản")
    expect(correctReason("Nộp tiền tạm ứng chủ phí định giá tài sản").value).toBe("Nộp tiền tạm ứng chi phí định giá tài sản")
  })

  test("property: a reason of real phrases is never changed, and correcting twice is correcting once", () => {
    fc.assert(fc.property(fc.constantFrom(...reasons), (reason) => {
      expect(correctReason(reason)).toEqual({ value: reason, corrections: [] })
      const slipped = reason.replace("tiền", "liền").replace("phí", "phi")
      const once = correctByPairs(slipped.split(" ")).words
      expect(correctByPairs(once).words).toEqual(once)
    }))
  })
})
