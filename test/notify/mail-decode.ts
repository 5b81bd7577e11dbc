/**
 * Just enough of a mail reader for the tests, independent of nodemailer:
 * unfolds headers (RFC 5322), decodes encoded words (RFC 2047, B and Q, in
 * UTF-8) and a single-part body in quoted-printable, base64 or 7/8bit
 * (RFC 2045).
 */
const utf8 = new TextDecoder()

const decodeWord = (charset: string, encoding: string, text: string): string => {
  if (charset.toLowerCase() !== "utf-8") throw new Error(`unexpected charset ${charset}`)
  if (encoding.toUpperCase() === "B") return utf8.decode(Buffer.from(text, "base64"))
  const bytes: Array<number> = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === "_") bytes.push(0x20)
    else if (c === "=") {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(c.charCodeAt(0))
  }
  return utf8.decode(new Uint8Array(bytes))
}

/** A header value with its encoded words decoded (whitespace between adjacent words dropped, as RFC 2047 says). */
export const decodeHeader = (value: string): string =>
  value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => decodeWord(charset, enc, text))

const quotedPrintable = (body: string): string => {
  const soft = body.replace(/=\r?\n/g, "")
  const bytes: Array<number> = []
  const raw = new TextEncoder().encode(soft)
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x3d) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16))
      i += 2
    } else bytes.push(raw[i]!)
  }
  return utf8.decode(new Uint8Array(bytes))
}

export interface ParsedMail {
  /** Header names in lower case; the last occurrence wins. */
  readonly headers: ReadonlyMap<string, string>
  readonly text: string
}

export const parseMail = (raw: string): ParsedMail => {
  const split = raw.indexOf("\r\n\r\n")
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ")
  const headers = new Map<string, string>()
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":")
    headers.set(line.slice(0, colon).trim().toLowerCase(), decodeHeader(line.slice(colon + 1).trim()))
  }
  const body = raw.slice(split + 4)
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase()
  const text = encoding === "quoted-printable" ? quotedPrintable(body) : encoding === "base64" ? utf8.decode(Buffer.from(body, "base64")) : body
  return { headers, text: text.replace(/\r\n/g, "\n") }
}
