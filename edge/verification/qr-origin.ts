/**
 * Whether a photographed QR code points to the agency's published service:
 * the host of PUBLIC_URL, or one of the hosts configured as its own
 * (ACCEPTED_QR_HOSTS, e.g. an older domain still printed on paper). A real
 * token behind any other host verifies, but the page warns that it may be a
 * phishing copy.
 */
import { qrHost } from "../../domain/signing/url.ts"
import type { QrOrigin } from "../pages/verify-page.ts"

/** "https://bienlai.example/" or "bienlai.example" → "bienlai.example" (with a port if one is given). */
export const hostOf = (entry: string): string => {
  const trimmed = entry.trim()
  return (/^https?:\/\//i.test(trimmed) ? qrHost(trimmed) ?? "" : trimmed.replace(/\/.*$/, "")).toLowerCase()
}

export const qrOrigin = (qrText: string, publicUrl: string, acceptedHosts: ReadonlyArray<string>): QrOrigin => {
  const host = qrHost(qrText)
  const officialHost = hostOf(publicUrl)
  if (host === null) return { host, official: null, officialHost }
  return { host, official: host === officialHost || acceptedHosts.some((h) => hostOf(h) === host), officialHost }
}
