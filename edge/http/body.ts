/**
 * Request bodies, checked by Hono's validator against Effect Schemas.
 *
 * A route names the body it takes as an Effect Schema; `jsonBody` turns it
 * into a Standard Schema (`Schema.toStandardSchemaV1`) for Hono's validator
 * (`@hono/standard-validator`), and the handler reads the decoded value with
 * `c.req.valid("json")`. The validation hook is ours, so the answers are the
 * edge's: `{ error, message }` JSON (or, on a public page, a page), the
 * message in the client's language (Vietnamese unless Accept-Language asks
 * for English), and every problem of the body named at once:
 *
 *   - not JSON at all: 415 `unsupported_media_type`, or 400 `invalid_json`
 *     with the parser's reason (checked before the validator, which would
 *     otherwise read a body of another type as `{}`);
 *   - JSON that is not an object: 400 `invalid_body`, saying what to send;
 *   - an object with problems: the route's own refusal (`refuse`), given
 *     each problem's path and the schema's message for it.
 */
import { sValidator } from "@hono/standard-validator"
import { Schema } from "effect"
import type { Context, Env } from "hono"
import type { EdgeEnv } from "./env.ts"
import { ApiError, refusal } from "./errors.ts"
import type { Localized } from "./language.ts"

/** One problem of a body: where (`payer.name`; "" for the body itself) and the schema's message. */
export interface Problem {
  readonly path: string
  readonly message: string
}

/** A Standard Schema issue, as @hono/standard-validator hands it over. */
interface Issue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}

export const problemsOf = (issues: ReadonlyArray<Issue>): Array<Problem> =>
  issues.map((i) => ({ path: (i.path ?? []).map((k) => String(typeof k === "object" ? k.key : k)).join("."), message: i.message }))

export interface BodyRules<E extends Env> {
  /** The refusal naming every problem of a body that is an object. */
  readonly refuse: (problems: ReadonlyArray<Problem>) => ApiError
  /** What to send, for a body that is not a JSON object (by default: "a JSON object"). */
  readonly shape?: Localized
  /** Keys the schema does not name are problems; by default they are ignored and dropped. */
  readonly strict?: boolean
  /** No Content-Type and no body at all stand for `{}`. */
  readonly optional?: boolean
  /** Looks at what was sent before anything else, valid or not (the officer API refuses another agency's name first). */
  readonly inspect?: (c: Context<E>, sent: unknown) => void
}

const objectShape: Localized = { vi: "Nội dung gửi lên phải là một đối tượng JSON.", en: "the body must be a JSON object" }

// The media types Hono's validator reads as JSON (application/json, application/*+json).
const jsonMediaType = /^application\/([\w.-]+\+)?json$/i

/** Refuses a body that is not JSON, in the client's language (the validator then reads the same text from Hono's body cache). */
const requireJson = async (c: Context, optional: boolean): Promise<void> => {
  const type = c.req.header("content-type")
  const text = await c.req.text()
  if ((type ?? "") === "" && optional && text.trim() === "") return
  if (!jsonMediaType.test((type ?? "").split(";")[0]!.trim())) {
    const got = (type ?? "").slice(0, 100)
    throw refusal(415, "unsupported_media_type", {
      vi: `Hãy gửi nội dung dạng JSON với Content-Type: application/json (nhận được "${got}").`,
      en: `send the body as JSON with Content-Type: application/json (got "${got}")`
    })
  }
  try {
    JSON.parse(text)
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e)
    throw refusal(400, "invalid_json", { vi: `Nội dung gửi lên không phải JSON hợp lệ (${why}).`, en: `the body is not valid JSON: ${why}` })
  }
}

/**
 * The validator of a JSON body: `app.post(path, jsonBody(Schema, rules), (c) => c.req.valid("json"))`.
 * Its value is the schema's decoded type.
 */
export const jsonBody = <S extends Schema.ConstraintDecoder<unknown>, E extends Env = EdgeEnv>(schema: S, rules: BodyRules<E>) => {
  const standard = Schema.toStandardSchemaV1(schema, { parseOptions: { onExcessProperty: rules.strict === true ? "error" : "ignore" } })
  const validate = sValidator("json", standard, async (result, c: Context<E>): Promise<void> => {
    rules.inspect?.(c, result.data)
    if (result.success) return
    const problems = problemsOf(result.error)
    if (problems.some((p) => p.path === "")) throw refusal(400, "invalid_body", rules.shape ?? objectShape)
    throw rules.refuse(problems)
  })
  const handler: typeof validate = async (c, next) => {
    await requireJson(c, rules.optional === true)
    return validate(c, next)
  }
  return handler
}

const formMediaTypes = new Set(["multipart/form-data", "application/x-www-form-urlencoded"])

/** A form that cannot be read is refused as the edge refuses (a public page answers it as a page), not as Hono's bare 400. */
const requireReadableForm = async (c: Context): Promise<void> => {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase()
  if (!formMediaTypes.has(type)) return
  try {
    // Read once: the validator takes the form from Hono's body cache.
    await c.req.formData()
  } catch {
    throw refusal(400, "invalid_form", { vi: "Không đọc được biểu mẫu đã gửi.", en: "the form could not be read" })
  }
}

/**
 * The validator of a form post: `app.post(path, formBody(Schema, refuse), (c) => c.req.valid("form"))`.
 * A body of another type is read as an empty form, as browsers never send one.
 */
export const formBody = <S extends Schema.ConstraintDecoder<unknown>>(schema: S, refuse: (problems: ReadonlyArray<Problem>) => ApiError) => {
  const validate = sValidator("form", Schema.toStandardSchemaV1(schema), async (result): Promise<void> => {
    if (!result.success) throw refuse(problemsOf(result.error))
  })
  const handler: typeof validate = async (c, next) => {
    await requireReadableForm(c)
    return validate(c, next)
  }
  return handler
}
