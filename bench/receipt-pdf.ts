/**
 * `npm run bench:receipt-pdf -- [--n 30]`: the cost of serving a signed
 * receipt PDF. Measured side by side in one run, on the same receipt:
 *
 *   render    the official A4 layout (adapters/pdf/receipt-pdf.ts) — the baseline
 *   ecdsa     render + PAdES signature by an ECDSA P-256 key (the default)
 *   rsa       render + PAdES signature by an RSA-PSS-2048 key
 *   longest   render of a receipt with every field at its maximum (the layout shrinks it to fit)
 *
 * Goal: a signed PDF within 2× the render alone (signing re-reads and
 * re-writes the file once and makes one signature), and under 500 ms each
 * on a 2-core machine. The last line is JSON: per second and milliseconds
 * each, and the ratios to the baseline.
 */
import { Effect } from "effect"
import { receiptPdf, type ReceiptPdfInput } from "../adapters/pdf/receipt-pdf.ts"
import { signPdf } from "../adapters/pdf-signing/pades.ts"
import { memorySigner } from "../adapters/keys/signer.ts"
import { qrPng } from "../adapters/qr/encode.ts"
import { makePki, receipt, signingKeyOf } from "../test/signing/fixtures.ts"

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const N = Number(arg("n", "30"))

const qr = await qrPng("https://bienlai.thads.example.vn/v/AAAA", { scale: 4 })
const input = (over: Parameters<typeof receipt>[0] = {}): ReceiptPdfInput => ({
  receipt: receipt(over),
  letterhead: { name: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh", parentName: "Bộ Tư pháp", place: "Thành phố Hồ Chí Minh" },
  approver: { name: "Trần Quốc Hùng", title: "Phó Cục trưởng" },
  maker: { name: "Nguyễn Thị Lan" },
  qrPng: qr,
  verifyUrl: "https://bienlai.thads.example.vn/v/AAAA",
  full: true,
  signature: { kind: "signed", by: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh", at: "2025-06-23T08:15:30.000Z" }
})
const long = (n: number) => "Nguyễn Trần Thị Hồng Phường Bến Thành đường Lê Lợi ".repeat(20).slice(0, n)
const longest = input({ payer: { name: long(200), idNumber: "079085001234", address: long(300) }, reason: long(500), amountInWords: long(300) })

const signerOf = async (algorithm: "ECDSA-P256" | "RSA-PSS-2048") => {
  const pki = await makePki(algorithm)
  const signer = memorySigner(new Map([["HCM", [signingKeyOf(pki.hcm)]]]))
  const chains = (keyId: string) => (keyId === pki.hcm.keyId ? [pki.hcm.certificate, pki.root.certificate] : undefined)
  return (pdf: Uint8Array, rect: readonly [number, number, number, number]) =>
    Effect.runPromise(signPdf(signer, chains, "HCM", pdf, { name: "Trần Quốc Hùng", reason: "Ký duyệt", location: "Thành phố Hồ Chí Minh", contactInfo: "", signingTime: "2025-06-23T08:15:30.000Z", widgetRect: rect }))
}
const ecdsa = await signerOf("ECDSA-P256")
const rsa = await signerOf("RSA-PSS-2048")

const time = async (run: () => Promise<unknown>) => {
  for (let i = 0; i < 3; i++) await run() // warm: fonts read, code compiled
  const start = performance.now()
  for (let i = 0; i < N; i++) await run()
  return (performance.now() - start) / N
}

const plain = input()
// Interleaved rounds, so a busy machine slows each alike.
const ms = { render: 0, ecdsa: 0, rsa: 0, longest: 0 }
for (let round = 0; round < 2; round++) {
  ms.render += await time(() => receiptPdf(plain)) / 2
  ms.ecdsa += await time(async () => {
    const d = await receiptPdf(plain)
    return ecdsa(d.bytes, d.signatureRect)
  }) / 2
  ms.rsa += await time(async () => {
    const d = await receiptPdf(plain)
    return rsa(d.bytes, d.signatureRect)
  }) / 2
  ms.longest += await time(() => receiptPdf(longest)) / 2
}
const perSecond = (t: number) => Number((1000 / t).toFixed(1))
const result = {
  bench: "receipt-pdf",
  runtime: typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.version}`,
  n: N,
  render_ms: Number(ms.render.toFixed(1)),
  render_per_s: perSecond(ms.render),
  signed_ecdsa_ms: Number(ms.ecdsa.toFixed(1)),
  signed_ecdsa_per_s: perSecond(ms.ecdsa),
  signed_rsa_pss_ms: Number(ms.rsa.toFixed(1)),
  signed_rsa_pss_per_s: perSecond(ms.rsa),
  longest_render_ms: Number(ms.longest.toFixed(1)),
  ecdsa_ratio_to_render: Number((ms.ecdsa / ms.render).toFixed(2)),
  rsa_ratio_to_render: Number((ms.rsa / ms.render).toFixed(2)),
  goals: { signedWithin2xRender: ms.ecdsa <= 2 * ms.render && ms.rsa <= 2 * ms.render, signedUnder500ms: ms.ecdsa < 500 && ms.rsa < 500 }
}
console.log(JSON.stringify(result))
