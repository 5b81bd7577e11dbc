/**
 * The text of a PDF's pages as PDF.js reads it (what a reader's "copy text"
 * gives): for checking that a generated PDF carries its words as text, with
 * every Vietnamese letter mapped back to Unicode.
 */
import { openPdf } from "./open.ts"

/** One string per page: the page's text items joined with spaces, in NFC. */
export const pdfText = async (bytes: Uint8Array): Promise<ReadonlyArray<string>> => {
  const doc = await openPdf(bytes)
  try {
    const pages: Array<string> = []
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent()
      pages.push(
        content.items
          .map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : ""))
          .join("")
          .normalize("NFC")
      )
    }
    return pages
  } finally {
    await doc.destroy()
  }
}
