/**
 * Case references printed on enforcement documents: decision numbers such as
 * "1234/QĐ-CTHADS" or "56/QĐ-THADS", and judgment numbers such as
 * "12/2025/DS-ST". Parsing normalises what typists and OCR write instead
 * ("QD", "Qđ", spaces around the slashes) to the canonical form.
 */
import { Result, Schema } from "effect"

export class InvalidCaseNumber extends Schema.TaggedError<InvalidCaseNumber>()("InvalidCaseNumber", {
  kind: Schema.Literals(["decision", "judgment"]),
  input: Schema.String,
  message: Schema.String
}) {}

const decisionPattern = /^(\d{1,6})\/(?:(\d{4})\/)?QĐ-([A-ZĐ]{2,12}(?:-[A-ZĐ0-9]{1,12}){0,3})$/
const judgmentPattern = /^(\d{1,6})\/(\d{4})\/([A-ZĐ]{1,6}(?:-[A-ZĐ]{1,6}){0,3})$/

const tidy = (text: string): string =>
  text.normalize("NFC").toUpperCase().replace(/\s*([/-])\s*/g, "$1").replace(/\s+/g, "").replace(/^SỐ:?/, "")

/** "1234/qd-cthads" → "1234/QĐ-CTHADS"; also "1234/2025/QĐ-CTHADS". */
export const parseDecisionNumber = (text: string): Result.Result<string, InvalidCaseNumber> => {
  const normalised = tidy(text).replace(/\/Q[DĐ]-/, "/QĐ-")
  if (normalised === "") return Result.fail(new InvalidCaseNumber({ kind: "decision", input: text, message: "the decision number is empty" }))
  return decisionPattern.test(normalised)
    ? Result.succeed(normalised)
    : Result.fail(
        new InvalidCaseNumber({
          kind: "decision",
          input: text,
          message: `"${text}" is not a decision number; expected a form like "1234/QĐ-CTHADS"`
        })
      )
}

/** "12/2025/ds-st" → "12/2025/DS-ST". */
export const parseJudgmentNumber = (text: string): Result.Result<string, InvalidCaseNumber> => {
  const normalised = tidy(text)
  if (normalised === "") return Result.fail(new InvalidCaseNumber({ kind: "judgment", input: text, message: "the judgment number is empty" }))
  return judgmentPattern.test(normalised)
    ? Result.succeed(normalised)
    : Result.fail(
        new InvalidCaseNumber({
          kind: "judgment",
          input: text,
          message: `"${text}" is not a judgment number; expected a form like "12/2025/DS-ST"`
        })
      )
}

const checkWith = (parse: (s: string) => Result.Result<string, InvalidCaseNumber>, expected: string) =>
  Schema.makeFilter((s: string) => {
    const r = parse(s)
    if (Result.isFailure(r)) return r.failure.message
    return r.success === s ? undefined : `"${s}" is not in canonical form; write "${r.success}"`
  }, { expected })

/** A decision number in canonical form. */
export const DecisionNumber = Schema.String.check(checkWith(parseDecisionNumber, "a decision number like 1234/QĐ-CTHADS"))
/** A judgment number in canonical form. */
export const JudgmentNumber = Schema.String.check(checkWith(parseJudgmentNumber, "a judgment number like 12/2025/DS-ST"))
