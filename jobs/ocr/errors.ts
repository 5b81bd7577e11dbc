import { Schema } from "effect"

/** A file that cannot be turned into page images: corrupt, empty, or of a kind we do not read. */
export class UnreadableInput extends Schema.TaggedError<UnreadableInput>()("UnreadableInput", {
  file: Schema.String,
  reason: Schema.Literals(["missing", "empty_file", "unsupported_type", "corrupt", "too_many_pages"]),
  message: Schema.String
}) {}

/** The Vietnamese language data for tesseract could be found nowhere and not downloaded either. */
export class LanguageDataMissing extends Schema.TaggedError<LanguageDataMissing>()("LanguageDataMissing", {
  tried: Schema.Array(Schema.String),
  message: Schema.String
}) {}
