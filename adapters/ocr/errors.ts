import { Schema } from "effect"

/** A file that cannot be turned into page images: corrupt, empty, of a kind we do not read, or beyond the limits (limits.ts). */
export class UnreadableInput extends Schema.TaggedError<UnreadableInput>()("UnreadableInput", {
  file: Schema.String,
  reason: Schema.Literals(["missing", "empty_file", "unsupported_type", "corrupt", "encrypted", "too_many_pages", "too_large", "too_slow"]),
  message: Schema.String
}) {}

/** The Vietnamese language data for tesseract is nowhere to be found, or does not load. */
export class LanguageDataMissing extends Schema.TaggedError<LanguageDataMissing>()("LanguageDataMissing", {
  tried: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/** The OCR engine itself (tesseract.js and its WebAssembly core) is not installed. */
export class OcrEngineMissing extends Schema.TaggedError<OcrEngineMissing>()("OcrEngineMissing", {
  message: Schema.String
}) {}
