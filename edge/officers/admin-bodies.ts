/**
 * The request bodies of agency administration and of officers' own tokens
 * (routes/officer-admin.ts, officer-tokens.ts, enrol.ts), as Effect Schemas
 * for Hono's validator (edge/http/body.ts). The rules are the domain's
 * (domain/privileges.ts: officer ids, names, roles); every problem is named
 * at once, in the client's language.
 */
import { Schema, SchemaTransformation } from "effect"
import { officerIdPattern, Roles, TITLE_MAX } from "../../domain/privileges.ts"
import { jsonBody, type Problem } from "../http/body.ts"
import { ApiError, refusal } from "../http/errors.ts"
import type { Localized } from "../http/language.ts"

const idRule = "must be lowercase letters, digits, . _ - (2–64), like lan.nguyen"
const nameRule = "name must be a non-empty string of at most 200 characters"
const roleRule = `role must be one of ${Roles.join(", ")}`

const OfficerId = (key: string) => {
  const message = `${key} ${idRule}`
  return Schema.String.annotate({ message }).check(Schema.isPattern(officerIdPattern, { message })).annotateKey({ messageMissingKey: message })
}

/** A person's name as typed: not blank, at most 200 characters; kept trimmed and in NFC (as parseOfficerDetails does). */
const Name = Schema.String.annotate({ message: nameRule })
  .check(Schema.makeFilter((s: string) => s.trim() !== "" && s.length <= 200, { message: nameRule }))
  .pipe(Schema.decodeTo(Schema.String, SchemaTransformation.transform({ decode: (s: string) => s.trim().normalize("NFC"), encode: (s: string) => s })))
  .annotateKey({ messageMissingKey: nameRule })

const Role = Schema.Literals(Roles).annotate({ message: roleRule }).annotateKey({ messageMissingKey: roleRule })

/** `{ id, name, role }`: a request to create an officer. */
export const OfficerBody = Schema.Struct({ id: OfficerId("id"), name: Name, role: Role })

/** `{ role }`: a request to change an officer's role. */
export const RoleBody = Schema.Struct({ role: Role })

const titleRule = `title must be a string of 1 to ${TITLE_MAX} characters, or null to clear it`
const Title = Schema.NullOr(Schema.String).annotate({ message: titleRule }).annotateKey({ messageMissingKey: titleRule })

/** `{ title }`: a request to set an officer's title (chức vụ), or null to clear it; its length is the domain's rule (parseTitle). */
export const TitleBody = Schema.Struct({ title: Title })

/** `{ officer, name, role, title? }`: what a second admin approves, as the request shows it (a title request's title included). */
export const ApprovedBody = Schema.Struct({ officer: OfficerId("officer"), name: Name, role: Role, title: Schema.optionalKey(Title) })

/** `{ label?, expiresInDays? }`: a token for oneself, and nothing naming anyone else (the privileges check both values). */
export const TokenBody = Schema.Struct({ label: Schema.optionalKey(Schema.Unknown), expiresInDays: Schema.optionalKey(Schema.Unknown) })
  .annotate({ messageUnexpectedKey: "unknown field" })

/** `{ code, label?, expiresInDays? }`: an enrolment code exchanged for one's own token. */
export const EnrolmentBody = Schema.Struct({ code: Schema.String, label: Schema.optionalKey(Schema.Unknown), expiresInDays: Schema.optionalKey(Schema.Unknown) })

// Each rule in Vietnamese, by its English sentence.
const vietnamese = (message: string): string => {
  if (message.endsWith(idRule)) return `${message.slice(0, -idRule.length - 1)} phải gồm chữ thường, chữ số và . _ - (2–64 ký tự), ví dụ lan.nguyen`
  if (message === nameRule) return "họ tên (name) không được để trống và dài tối đa 200 ký tự"
  if (message === roleRule) return `vai trò (role) phải là một trong ${Roles.join(", ")}`
  if (message === titleRule) return `chức vụ (title) phải dài từ 1 đến ${TITLE_MAX} ký tự, hoặc null để xóa`
  return `không hợp lệ (${message})`
}

const listed = (problems: ReadonlyArray<Problem>): Localized => ({
  vi: problems.map((p) => vietnamese(p.message)).join("; "),
  en: problems.map((p) => p.message).join("; ")
})

const invalidOfficer = (problems: ReadonlyArray<Problem>): ApiError => {
  const text = listed(problems)
  return refusal(422, "invalid_officer", { vi: `Thông tin cán bộ chưa hợp lệ: ${text.vi}.`, en: text.en }, { details: { problems: problems.map((p) => p.message) } })
}

const invalidRole = (): ApiError =>
  refusal(422, "invalid_role", { vi: `Vai trò (role) phải là một trong ${Roles.join(", ")}.`, en: roleRule }, { details: { field: "role" } })

const invalidApproval = (problems: ReadonlyArray<Problem>): ApiError => {
  const text = listed(problems)
  return refusal(422, "invalid_approval", {
    vi: `Hãy nêu đúng điều bạn duyệt, như đề nghị ghi: { officer, name, role, title? } (${text.vi}).`,
    en: `name what you approve, as the request shows it: { officer, name, role, title? } (${text.en})`
  })
}

const tokenShape: Localized = {
  vi: "Nội dung gửi lên phải là một đối tượng JSON: { label?, expiresInDays? }.",
  en: "the body must be a JSON object: { label?, expiresInDays? }"
}

// Tokens are personal: no field may name whose token it is.
const unknownTokenFields = (problems: ReadonlyArray<Problem>): ApiError => {
  const names = problems.map((p) => `"${p.path.slice(0, 40)}"`).join(", ")
  const en = `unknown field ${names}: a token is only ever made for the officer who asks, with { label?, expiresInDays? }`
  // Clients have read this refusal in English since tokens existed: the English follows as the technical detail.
  return refusal(422, "invalid_token_request", {
    vi: `Không có trường ${names}: mã truy cập chỉ được cấp cho chính cán bộ yêu cầu, với { label?, expiresInDays? }. (${en})`,
    en
  })
}

const enrolmentShape: Localized = {
  vi: 'Hãy gửi { "code": "XXXXX-XXXXX-XXXXX-XXXXX" } với mã kích hoạt quản trị viên đã trao cho bạn.',
  en: 'send { "code": "XXXXX-XXXXX-XXXXX-XXXXX" } with the enrolment code your administrators gave you'
}

export const officerBody = jsonBody(OfficerBody, { refuse: invalidOfficer })
export const roleBody = jsonBody(RoleBody, { refuse: invalidRole })
export const approvedBody = jsonBody(ApprovedBody, { refuse: invalidApproval })

/** A title that is not one, in the officer's language. */
export const invalidTitle = (): ApiError =>
  refusal(422, "invalid_title", { vi: `Chức vụ (title) phải dài từ 1 đến ${TITLE_MAX} ký tự, hoặc null để xóa.`, en: titleRule }, { details: { field: "title" } })
export const titleBody = jsonBody(TitleBody, { refuse: invalidTitle })
export const tokenBody = jsonBody(TokenBody, { refuse: unknownTokenFields, shape: tokenShape, strict: true, optional: true })
export const enrolmentBody = jsonBody(EnrolmentBody, { refuse: () => refusal(400, "invalid_body", enrolmentShape), shape: enrolmentShape })
