/**
 * The token inside a URL: `{PUBLIC_URL}/v/{token}`.
 *
 * Three base45 characters mean something else in a URL path: space, "%" and
 * "/". They are percent-encoded as %20, %25 and %2F, whose characters are
 * themselves in the QR alphanumeric set, so the whole URL still encodes in
 * alphanumeric mode. The other base45 symbols ($ * + - . :) are legal in a
 * path segment as they are.
 *
 * For the QR code the URL is written in capitals (`HTTPS://HOST/V/...`):
 * the QR alphanumeric set has no lower-case letters, and one lower-case
 * letter would force byte mode (8 instead of 5.5 bits a character). Scheme
 * and host are case-insensitive; the public server must answer `/V/` like
 * `/v/`. See docs/QR-TOKEN.md for the measurements.
 */

export const tokenToPathSegment = (token: string): string =>
  token.replace(/%/g, "%25").replace(/ /g, "%20").replace(/\//g, "%2F")

/** Undoes percent-encoding of any character (a browser may encode more than we did). */
export const pathSegmentToToken = (segment: string): string =>
  segment.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))

const trimSlash = (url: string) => url.replace(/\/+$/, "")

/** The lookup URL printed under the QR: `{publicUrl}/v/{token}`. */
export const tokenUrl = (publicUrl: string, token: string): string => `${trimSlash(publicUrl)}/v/${tokenToPathSegment(token)}`

/** What the QR code holds: the same URL in capitals, so it encodes in alphanumeric mode. */
export const qrContent = (publicUrl: string, token: string): string =>
  `${trimSlash(publicUrl).toUpperCase()}/V/${tokenToPathSegment(token)}`

const urlPattern = /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/v\/([^/?#]+)\/?(?:[?#].*)?$/i

export type TokenSource =
  | { readonly _tag: "Token"; readonly token: string }
  | { readonly _tag: "NotBienlai"; readonly text: string }

/**
 * Finds a token in what a reader scanned or a person pasted: a bienlai URL
 * (any host, `/v/` or `/V/`), or a bare token. Anything else is "not a
 * bienlai QR"; whether the token is sound is for `verify` to say.
 */
export const extractToken = (text: string): TokenSource => {
  const m = urlPattern.exec(text.trim())
  if (m) return { _tag: "Token", token: pathSegmentToToken(m[1]!) }
  // A bare token is taken as is: space is a base45 character, so no trimming.
  if (/^[0-9A-Z $%*+\-./:]{60,}$/.test(text) && !/^HTTPS?:/.test(text)) return { _tag: "Token", token: text }
  return { _tag: "NotBienlai", text }
}

/**
 * The host (with its port, if any) of the web address a QR code holds,
 * lower-cased as browsers compare hosts; null when it holds no address (a
 * bare token) or one that does not parse. "https://official@evil.example/v/…"
 * is evil.example: what a browser would open.
 */
export const qrHost = (text: string): string | null => {
  const trimmed = text.trim()
  if (!/^https?:\/\//i.test(trimmed)) return null
  try {
    return new URL(trimmed).host.toLowerCase()
  } catch {
    return null
  }
}
