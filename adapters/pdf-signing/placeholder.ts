/**
 * The signature field and dictionary a PAdES signature goes into, before
 * signing: @signpdf/placeholder-pdf-lib's, with two changes that Vietnamese
 * signed PDFs need. Its text entries (/Name, /Reason, /Location,
 * /ContactInfo) are written as PDF text strings in UTF-16BE (a hex string
 * with a byte order mark) when they hold more than ASCII, where the
 * original writes each character's low byte ("Trần" would read "Tr§n");
 * and the widget may sit on the page where the signature appearance is
 * drawn (the receipt's "Ký bởi … / Ký ngày …" box), so a reader that is
 * clicked there shows the signature's details. The appearance itself is
 * the page's content; the widget's own appearance stream is empty.
 */
import { PDFArray, PDFDict, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, PDFString } from "pdf-lib"
import type { PDFDocument } from "pdf-lib"
import { ANNOTATION_FLAGS, DEFAULT_BYTE_RANGE_PLACEHOLDER, SIG_FLAGS, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils"

/** A PDF text string: literal when ASCII, UTF-16BE with a byte order mark otherwise. */
export const pdfTextString = (s: string): PDFString | PDFHexString =>
  // deno-lint-ignore no-control-regex
  /^[\x20-\x7e]*$/.test(s) ? PDFString.of(s) : PDFHexString.fromText(s.normalize("NFC"))

export interface PlaceholderOptions {
  readonly name: string
  readonly reason: string
  readonly location: string
  readonly contactInfo: string
  readonly signingTime: Date
  /** Hex digits kept for the CMS in /Contents (two per byte), as @signpdf counts them. */
  readonly signatureLength: number
  /** [x1, y1, x2, y2] on the first page; absent, an invisible widget. */
  readonly widgetRect?: readonly [number, number, number, number] | undefined
  readonly appName: string
}

export const addSignaturePlaceholder = (doc: PDFDocument, o: PlaceholderOptions): void => {
  const page = doc.getPages()[0]
  if (page === undefined) throw new RangeError("the PDF has no page to put the signature on")
  const byteRange = PDFArray.withContext(doc.context)
  byteRange.push(PDFNumber.of(0))
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER))
  const signature = doc.context.obj({
    Type: "Sig",
    Filter: "Adobe.PPKLite",
    SubFilter: SUBFILTER_ETSI_CADES_DETACHED,
    ByteRange: byteRange,
    Contents: PDFHexString.of("0".repeat(o.signatureLength)),
    Reason: pdfTextString(o.reason),
    M: PDFString.fromDate(o.signingTime),
    ContactInfo: pdfTextString(o.contactInfo),
    Name: pdfTextString(o.name),
    Location: pdfTextString(o.location),
    Prop_Build: { Filter: { Name: "Adobe.PPKLite" }, App: { Name: o.appName } }
  })
  // Written as raw bytes, so pdf-lib never puts it in an object stream where signpdf could not find the placeholder.
  const bytes = new Uint8Array(signature.sizeInBytes())
  signature.copyBytesInto(bytes, 0)
  const signatureRef = doc.context.register(PDFInvalidObject.of(bytes))

  const rect = [...(o.widgetRect ?? [0, 0, 0, 0])]
  const appearance = doc.context.formXObject([], { BBox: [0, 0, rect[2]! - rect[0]!, rect[3]! - rect[1]!], Resources: {} })
  const widget = doc.context.register(doc.context.obj({
    Type: "Annot",
    Subtype: "Widget",
    FT: "Sig",
    Rect: rect,
    V: signatureRef,
    T: PDFString.of("Signature1"),
    F: ANNOTATION_FLAGS.PRINT,
    P: page.ref,
    AP: { N: doc.context.register(appearance) }
  }))
  const annotations = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray) ?? doc.context.obj([])
  annotations.push(widget)
  page.node.set(PDFName.of("Annots"), annotations)

  let form = doc.catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict)
  if (form === undefined) {
    form = doc.context.obj({ Fields: [] })
    doc.catalog.set(PDFName.of("AcroForm"), doc.context.register(form))
  }
  const flags = form.lookupMaybe(PDFName.of("SigFlags"), PDFNumber)?.asNumber() ?? 0
  form.set(PDFName.of("SigFlags"), PDFNumber.of(flags | SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY))
  const fields = form.lookupMaybe(PDFName.of("Fields"), PDFArray) ?? doc.context.obj([])
  fields.push(widget)
  form.set(PDFName.of("Fields"), fields)
}
