/**
 * The language of a message a person reads in the officer API: Vietnamese
 * unless the client's Accept-Language ranks English above it (RFC 9110
 * §12.5.4: the highest quality wins; an unlisted language counts 0; "*"
 * matches both).
 */
export type Lang = "vi" | "en"

/** A message in both languages; which one is sent depends on the request. */
export interface Localized {
  readonly vi: string
  readonly en: string
}

const quality = (q: string | undefined): number => {
  if (q === undefined) return 1
  const n = Number(q)
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0
}

export const langOf = (acceptLanguage: string | undefined | null): Lang => {
  if (acceptLanguage === undefined || acceptLanguage === null) return "vi"
  let vi = 0
  let en = 0
  let any = 0
  for (const part of acceptLanguage.split(",")) {
    const [tag = "", ...params] = part.trim().toLowerCase().split(";")
    const q = quality(params.map((p) => p.trim()).find((p) => p.startsWith("q="))?.slice(2))
    const primary = tag.trim().split("-")[0]
    if (primary === "vi") vi = Math.max(vi, q)
    else if (primary === "en") en = Math.max(en, q)
    else if (primary === "*") any = Math.max(any, q)
  }
  if (vi === 0) vi = any
  if (en === 0) en = any
  return en > vi ? "en" : "vi"
}
