/**
 * EMVCo merchant-presented QR data objects: a two-digit ID, a two-digit
 * length and the value, one after another ("000201" is ID 00, length 02,
 * value "01"). Templates (VietQR's tag 38 and tag 62) hold data objects of
 * their own in their value.
 */
import { Result } from "effect"

export interface DataObject {
  readonly id: string
  readonly value: string
}

export interface TlvProblem {
  /** Character offset in the text where the broken object starts (0-based). */
  readonly offset: number
  readonly problem: string
}

/** Splits text into data objects, or says where and why it cannot. */
export const readDataObjects = (text: string): Result.Result<ReadonlyArray<DataObject>, TlvProblem> => {
  const objects: Array<DataObject> = []
  let at = 0
  while (at < text.length) {
    const head = text.slice(at, at + 4)
    if (head.length < 4) return Result.fail({ offset: at, problem: `a data object needs an ID and a length, only ${JSON.stringify(head)} is left` })
    const id = head.slice(0, 2)
    const length = head.slice(2, 4)
    if (!/^\d\d$/.test(id)) return Result.fail({ offset: at, problem: `the ID ${JSON.stringify(id)} is not two digits` })
    if (!/^\d\d$/.test(length)) return Result.fail({ offset: at, problem: `the length of ID ${id} is ${JSON.stringify(length)}, not two digits` })
    const n = Number(length)
    if (n === 0) return Result.fail({ offset: at, problem: `ID ${id} has length 00; an empty data object is not allowed` })
    if (at + 4 + n > text.length) {
      return Result.fail({ offset: at, problem: `ID ${id} says its value has ${n} characters but only ${text.length - at - 4} follow` })
    }
    objects.push({ id, value: text.slice(at + 4, at + 4 + n) })
    at += 4 + n
  }
  return Result.succeed(objects)
}

/** One data object; the value must have 1 to 99 characters. */
export const writeDataObject = (id: string, value: string): string => {
  if (!/^\d\d$/.test(id)) throw new RangeError(`EMV data object ID must be two digits: ${JSON.stringify(id)}`)
  if (value.length < 1 || value.length > 99) throw new RangeError(`EMV data object ${id} must hold 1 to 99 characters, not ${value.length}`)
  return `${id}${String(value.length).padStart(2, "0")}${value}`
}
