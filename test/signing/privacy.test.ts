import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { MAX_MASKED_NAME_BYTES, maskName } from "../../domain/privacy.ts"

describe("maskName", () => {
  test("keeps the family name and initials of the rest", () => {
    expect(maskName("Nguyễn Văn Hòa")).toBe("Nguyễn V. H.")
    expect(maskName("Trần Thị Mỹ Duyên")).toBe("Trần T. M. D.")
    expect(maskName("  lê   đức  anh ")).toBe("lê Đ. A.")
    expect(maskName("Phạm")).toBe("Phạm")
    expect(maskName("")).toBe("")
  })

  test("NFD input gives the same NFC output", () => {
    expect(maskName("Nguyễn Văn Ánh".normalize("NFD"))).toBe("Nguyễn V. Á.")
    expect(maskName("Nguyễn Văn Ánh".normalize("NFD"))).toBe(maskName("Nguyễn Văn Ánh").normalize("NFC"))
  })

  test("organisations are masked the same way and fit the token", () => {
    const masked = maskName("Công ty Trách nhiệm hữu hạn Xây dựng và Thương mại Minh Phát Sài Gòn")
    expect(masked).toBe("Công T. T. N. H. H. X.")
    expect(new TextEncoder().encode(masked).length).toBeLessThanOrEqual(MAX_MASKED_NAME_BYTES)
  })

  test("the given name never appears and the result always fits", () => {
    const word = fc.string({ unit: fc.constantFrom(..."aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"), minLength: 2, maxLength: 12 })
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 8 }), (words) => {
        const masked = maskName(words.join(" "))
        expect(new TextEncoder().encode(masked).length).toBeLessThanOrEqual(MAX_MASKED_NAME_BYTES)
        expect(masked.split(" ").slice(1).every((w) => Array.from(w).length === 2 && w.endsWith("."))).toBe(true)
        expect(masked).toBe(masked.normalize("NFC"))
      }),
      { numRuns: 200 }
    )
  })
})
