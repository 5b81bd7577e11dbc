/**
 * The receipt PDF as the edge serves it, to the public (lookup) and to
 * officers (console) alike: laid out as an official document
 * (adapters/pdf/receipt-pdf.ts) with the agency's heading and the
 * approver's full name and title from the store, then PAdES-signed by the
 * agency's seal key through the PdfSigner port (adapters/pdf-signing),
 * with the chain from the published trust list.
 *
 * A PDF that cannot be signed is still served, never refused: an agency
 * whose seal key is Ed25519 (which PDF signatures do not use, Circular
 * 15/2025/TT-BKHCN), a key whose certificate is not in the trust list, or a
 * signer that fails. It is then drawn again with a note in place of the
 * signature appearance saying why, and the answer's
 * `Bienlai-Pdf-Signature` header says `unsigned` with the reason;
 * the receipt's own seal and QR code are unaffected.
 */
import { Effect, Result } from "effect"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { formatReceiptNumber, isIssued } from "../../domain/receipt.ts"
import { qrContent, tokenUrl } from "../../domain/signing/url.ts"
import type { Letterhead, Replacement, SignatureAppearance } from "../../adapters/pdf/receipt-pdf.ts"
import { padesPdfSigner } from "../../adapters/pdf-signing/pades.ts"
import { chainsFromTrustList } from "../../adapters/pdf-signing/trust-list-chains.ts"
import { agencyLetterhead } from "../../store/agencies/letterhead.ts"
import { signatories } from "../../store/officers/signatories.ts"
import type { EdgeServices } from "../services.ts"

export interface ServedPdf {
  readonly bytes: Uint8Array
  readonly name: string
  /** "signed", or "unsigned; reason=…" (ASCII, for the Bienlai-Pdf-Signature header). */
  readonly signature: string
}

/** Why a PDF went out unsigned, in Vietnamese for the page, by the signer's reason. */
const unsignedWhy = (reason: string): string =>
  reason === "unsupported"
    ? "khóa niêm phong của cơ quan là Ed25519, không dùng để ký tệp PDF. Biên lai vẫn được niêm phong và kiểm tra bằng mã QR."
    : reason === "no_certificate"
    ? "chứng thư số của khóa ký không có trong danh sách tin cậy. Biên lai vẫn được kiểm tra bằng mã QR."
    : "không ký được lúc tải về. Biên lai vẫn được kiểm tra bằng mã QR."

const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, "?").slice(0, 300)

const chainsCache = new WeakMap<object, ReturnType<typeof chainsFromTrustList>>()

/** The chains of the trust list in force now (a new list after a rollover gets its own). */
const chainsOf = (s: EdgeServices) => {
  const list = s.trust().list
  let chains = chainsCache.get(list)
  if (chains === undefined) chainsCache.set(list, (chains = chainsFromTrustList(list)))
  return chains
}

const replacementOf = async (s: EdgeServices, r: IssuedReceipt): Promise<Replacement | undefined> => {
  if (r.replacedBy === undefined) return undefined
  const got = await s.run(Effect.result(s.store.get(r.agency, r.replacedBy.id)))
  if (Result.isFailure(got) || !isIssued(got.success)) return undefined
  const x = got.success
  return { series: x.series, number: x.number, issuedAt: x.issuedAt, amount: x.amount, reason: x.reason }
}

export const servedReceiptPdf = async (s: EdgeServices, r: IssuedReceipt, token: string, opts: { readonly full: boolean }): Promise<ServedPdf> => {
  const [heading, people, replacement, qr] = await Promise.all([
    agencyLetterhead(s.db, r.agency),
    signatories(s.db, r.agency, [r.maker, r.approver]),
    replacementOf(s, r),
    s.qr.png(qrContent(s.config.publicUrl, token), { scale: 4 })
  ])
  const letterhead: Letterhead = heading === undefined
    ? { name: `Cơ quan thi hành án dân sự ${r.agency}` }
    : { name: heading.name, ...(heading.parentName === undefined ? {} : { parentName: heading.parentName }), ...(heading.place === undefined ? {} : { place: heading.place }) }
  const approver = people.get(r.approver)
  const render = (signature: SignatureAppearance) =>
    s.pdf.render({
      receipt: r,
      letterhead,
      approver,
      maker: people.get(r.maker),
      replacement,
      qrPng: qr,
      verifyUrl: tokenUrl(s.config.publicUrl, token),
      full: opts.full,
      signature
    })
  const name = `bien-lai-${r.series.symbol.replace("/", "-")}-${r.number}.pdf`
  const at = s.now().toISOString()
  const drawn = await render({ kind: "signed", by: letterhead.name, at })
  const signed = await s.run(Effect.result(padesPdfSigner(s.signer, chainsOf(s)).sign(r.agency, drawn.bytes, {
    name: approver?.name ?? letterhead.name,
    reason: `Ký duyệt biên lai thu tiền ký hiệu ${r.series.symbol} số ${formatReceiptNumber(r.number)}`,
    location: letterhead.place ?? "",
    contactInfo: "",
    signingTime: at,
    widgetRect: drawn.signatureRect
  })))
  if (Result.isSuccess(signed)) return { bytes: signed.success, name, signature: "signed" }
  const failure = signed.failure
  const reason = failure._tag === "PdfSigningError" ? failure.reason : "signer"
  s.logger.warn({ agency: r.agency, reason, err: failure.message }, "receipt PDF served unsigned")
  const plain = await render({ kind: "unsigned", why: unsignedWhy(reason) })
  return { bytes: plain.bytes, name, signature: `unsigned; reason=${reason}; ${ascii(failure.message)}` }
}
