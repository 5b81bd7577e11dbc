/**
 * HTML for the public pages and the officer console, written with Hono's
 * `html` tagged template (hono/html): every interpolated string is escaped
 * by the template itself (& < > " ' as HTML text and quoted attributes
 * need), so a name, an address or a reason that anyone typed prints as
 * text, never as markup, without a call to remember at each place. A
 * fragment built by `html` is `Html` and goes into another one as it is;
 * `raw` marks the few trusted strings that are markup already (a stylesheet,
 * an SVG drawn by our QR adapter), each with the reason where it is used.
 *
 * Only what a page prints may be interpolated: strings, numbers, bigints,
 * fragments and lists of them. Booleans, null and undefined are left out of
 * the type on purpose: Hono's template prints nothing for them where a
 * template string printed "true" or "undefined", so each place says what it
 * means (`String(flag)`, or `cond ? html`…` : ""`).
 */
import { html as honoHtml, raw as honoRaw } from "hono/html"
import type { HtmlEscapedString } from "hono/utils/html"

/** Markup built by `html` (or vouched for by `raw`): inserted into other markup without escaping. */
export type Html = HtmlEscapedString

type Printable = Html | string | number | bigint
export type HtmlValue = Printable | ReadonlyArray<Printable>

/** The tagged template: strings in `values` are escaped, `Html` fragments and lists of them are inserted as they are. */
export const html = (strings: TemplateStringsArray, ...values: ReadonlyArray<HtmlValue>): Html => {
  const out = honoHtml(strings, ...values)
  // Hono's template is asynchronous only when a value is a Promise, which HtmlValue excludes.
  if (out instanceof Promise) throw new TypeError("an HTML template was given a promise")
  return out
}

/** A trusted string that is markup already; every use says why it is trusted. */
export const raw = (markup: string): Html => honoRaw(markup)

