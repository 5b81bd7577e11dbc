/**
 * A PDF's text as an independent reader sees it: Mozilla's PDF.js
 * (pdfjs-dist), not the pdf-lib that wrote it. One string per page, the
 * text items joined by spaces, in NFC.
 */
export const pdfPagesText = async (bytes: Uint8Array): Promise<Array<string>> => {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs")
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise
  try {
    const pages: Array<string> = []
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent()
      pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " ").normalize("NFC"))
    }
    return pages
  } finally {
    await doc.destroy()
  }
}
