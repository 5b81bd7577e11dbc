/**
 * An independent check of a signed PDF, sharing no code with the signer:
 * read /ByteRange and /Contents from the bytes, and have OpenSSL verify the
 * CMS over exactly the ranges (`openssl cms -verify -binary`) against the
 * root; `pdfsig` (poppler) too where it is installed.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { openssl, scratch } from "./openssl-tools.ts"

export interface PdfSignature {
  readonly byteRange: readonly [number, number, number, number]
  /** The CMS, DER, without the placeholder's zero padding. */
  readonly cms: Uint8Array
  /** The bytes the signature covers. */
  readonly signed: Uint8Array
}

const derLength = (der: Uint8Array): number => {
  if (der[0] !== 0x30) throw new Error("/Contents does not start with a DER SEQUENCE")
  const first = der[1]!
  if (first < 0x80) return 2 + first
  const n = first & 0x7f
  let len = 0
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!
  return 2 + n + len
}

export const readPdfSignature = (pdf: Uint8Array): PdfSignature => {
  const text = Buffer.from(pdf).toString("latin1")
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text)
  if (m === null) throw new Error("no /ByteRange in the PDF")
  const [a, b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const
  const hex = text.slice(a + b + 1, c - 1)
  const padded = Buffer.from(hex, "hex")
  const cms = new Uint8Array(padded.subarray(0, derLength(padded)))
  return { byteRange: [a, b, c, d], cms, signed: new Uint8Array(Buffer.concat([Buffer.from(pdf.subarray(a, a + b)), Buffer.from(pdf.subarray(c, c + d))])) }
}

/** `openssl cms -verify` of the PDF's signature over its byte ranges, against `rootPem`. */
export const opensslVerifiesPdf = (pdf: Uint8Array, rootPem: string, content?: Uint8Array) => {
  const sig = readPdfSignature(pdf)
  const { file } = scratch("bienlai-pdf-check-")
  const r = openssl(["cms", "-verify", "-binary", "-inform", "DER", "-in", file("sig.der", sig.cms), "-content", file("content.bin", content ?? sig.signed), "-CAfile", file("root.pem", rootPem), "-purpose", "any", "-out", "/dev/null"])
  return { ok: r.status === 0 && `${r.stdout}${r.stderr}`.includes("Verification successful"), output: `${r.stdout}${r.stderr}` }
}

/** What OpenSSL prints of the CMS structure. */
export const printCms = (cms: Uint8Array): string => {
  const { file } = scratch("bienlai-pdf-print-")
  return openssl(["cms", "-cmsout", "-print", "-inform", "DER", "-in", file("sig.der", cms)]).stdout
}

export const pdfsigPath = ["/usr/bin/pdfsig", "/usr/local/bin/pdfsig"].find((p) => existsSync(p))

export const pdfsig = (path: string) => spawnSync(pdfsigPath!, [path], { encoding: "utf8" })
