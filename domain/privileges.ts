/**
 * Who may give whom which powers: the pure rules of officer administration.
 *
 * Creating an officer, changing a role, re-enabling a disabled officer or
 * giving one a new enrolment code is a request by one admin that a second
 * admin of the same agency approves, naming exactly what they approve (the
 * officer id, the name and the role they were shown). Nobody approves their
 * own request, so no single admin can make the two identities maker-checker
 * needs (docs/SECURITY.md).
 *
 * An approval that lets someone in gives a one-time enrolment code, which the
 * new officer exchanges for their own token: 20 Crockford base32 characters
 * (100 random bits) in groups of five, typed back case-, space- and
 * dash-insensitively.
 */
import { Result, Schema } from "effect"

/** How long an enrolment code may wait to be used, and a request for a second admin. */
export const ENROLMENT_CODE_HOURS = 72
export const REQUEST_DAYS = 7

export const Roles = ["officer", "approver", "auditor", "admin"] as const
export type Role = typeof Roles[number]

export const RequestKinds = ["create", "role", "enable", "enrol", "title"] as const
export type RequestKind = typeof RequestKinds[number]

/** Ids as the database allows them: lower case, digits, `. _ -`, 2 to 64 characters. */
export const officerIdPattern = /^[a-z0-9][a-z0-9._-]{1,63}$/

export const isRole = (x: unknown): x is Role => typeof x === "string" && (Roles as ReadonlyArray<string>).includes(x)

export interface OfficerDetails {
  readonly officer: string
  readonly name: string
  readonly role: Role
  /** A title request's title (chức vụ); null clears it. Absent: not a title request, or not named by the approver. */
  readonly title?: string | null
}

/** The longest title (chức vụ) the store keeps (migration 0340). */
export const TITLE_MAX = 120

/** A title as typed, trimmed and in NFC, or why it cannot be one. */
export const parseTitle = (typed: unknown): Result.Result<string | null, string> => {
  if (typed === null) return Result.succeed(null)
  if (typeof typed !== "string") return Result.fail(`title must be a string of 1 to ${TITLE_MAX} characters, or null to clear it`)
  const title = typed.trim().normalize("NFC")
  if (title === "" || title.length > TITLE_MAX) return Result.fail(`title must be a string of 1 to ${TITLE_MAX} characters, or null to clear it`)
  return Result.succeed(title)
}

/** `{ id, name, role }` from a request body, or every problem with it. */
export const parseOfficerDetails = (body: Record<string, unknown>): Result.Result<OfficerDetails, ReadonlyArray<string>> => {
  const id = body["id"]
  const name = body["name"]
  const role = body["role"]
  const problems = [
    typeof id === "string" && officerIdPattern.test(id) ? undefined : "id must be lowercase letters, digits, . _ - (2–64), like lan.nguyen",
    typeof name === "string" && name.trim() !== "" && name.length <= 200 ? undefined : "name must be a non-empty string of at most 200 characters",
    isRole(role) ? undefined : `role must be one of ${Roles.join(", ")}`
  ].filter((x): x is string => x !== undefined)
  return problems.length > 0
    ? Result.fail(problems)
    : Result.succeed({ officer: id as string, name: (name as string).trim().normalize("NFC"), role: role as Role })
}

export interface PrivilegeRequest extends OfficerDetails {
  readonly id: string
  readonly agency: string
  readonly kind: RequestKind
  readonly requestedBy: string
  readonly requestedAt: string
  readonly expiresAt: string
  readonly decision: "approved" | "rejected" | "withdrawn" | "expired" | null
}

export interface Admin {
  readonly officer: string
  readonly agency: string
  readonly role: Role
}

export const RefusalReason = Schema.Literals([
  "not_admin",
  "not_found",
  "own_request",
  "already_decided",
  "expired",
  "content_differs"
])
export type RefusalReason = typeof RefusalReason.Type

export class PrivilegeRefusal extends Schema.TaggedError<PrivilegeRefusal>()("PrivilegeRefusal", {
  reason: RefusalReason,
  message: Schema.String
}) {}

const refuse = (reason: RefusalReason, message: string) => Result.fail(new PrivilegeRefusal({ reason, message }))

/**
 * Whether `approver` may approve `request` now, having been shown `seen`.
 * Another agency's request is "not found", as everywhere in the API.
 */
export const checkApproval = (
  request: PrivilegeRequest,
  approver: Admin,
  seen: OfficerDetails,
  nowIso: string
): Result.Result<void, PrivilegeRefusal> => {
  if (approver.role !== "admin") return refuse("not_admin", `only an admin approves officer requests; you are ${approver.role}`)
  if (approver.agency !== request.agency) return refuse("not_found", `no request ${request.id} in agency ${approver.agency}`)
  if (request.decision !== null) return refuse("already_decided", `request ${request.id} was already ${request.decision}`)
  if (Date.parse(request.expiresAt) <= Date.parse(nowIso)) {
    return refuse("expired", `request ${request.id} expired at ${request.expiresAt}; ask for it again`)
  }
  if (approver.officer === request.requestedBy) {
    return refuse("own_request", `you made request ${request.id}; a second admin of ${request.agency} must approve it (four eyes)`)
  }
  // A title request is approved by naming the title too: the approver binds the exact text.
  const fields = request.kind === "title" ? (["officer", "name", "role", "title"] as const) : (["officer", "name", "role"] as const)
  const differs = fields.filter((k) => (k === "title" ? (seen.title === undefined ? "(not named)" : seen.title) !== (request.title ?? null) : seen[k] !== request[k]))
  if (differs.length > 0) {
    return refuse(
      "content_differs",
      `request ${request.id} is for ${request.officer} "${request.name}" as ${request.role}${request.kind === "title" ? ` with the title ${JSON.stringify(request.title ?? null)}` : ""}; you approved ${differs.map((k) => `${k} ${JSON.stringify(seen[k])}`).join(", ")}: read it again and approve what it says`
    )
  }
  return Result.succeed(undefined)
}

/** Whether an approved request of this kind lets someone in, and so issues an enrolment code. */
export const issuesEnrolmentCode = (kind: RequestKind): boolean => kind !== "role" && kind !== "title"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** An enrolment code from 13 random bytes: the first 100 bits, as XXXXX-XXXXX-XXXXX-XXXXX. */
export const enrolmentCodeFromBytes = (bytes: Uint8Array): string => {
  if (bytes.length < 13) throw new RangeError("an enrolment code needs 13 random bytes")
  let bits = 0n
  for (let i = 0; i < 13; i++) bits = (bits << 8n) | BigInt(bytes[i] ?? 0)
  bits >>= 4n
  let out = ""
  for (let i = 0; i < 20; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out
    bits >>= 5n
  }
  return out.match(/.{5}/g)!.join("-")
}

/** What a person typed, as the code was printed: upper case, look-alikes fixed (I, L → 1; O → 0), grouped. */
export const normalizeEnrolmentCode = (typed: string): string | undefined => {
  const plain = typed.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0")
  if (!/^[0-9A-HJKMNP-TV-Z]{20}$/.test(plain)) return undefined
  return plain.match(/.{5}/g)!.join("-")
}

/** A token's lifetime in days: the default when none is asked, never more than the maximum. */
export const tokenLifetimeDays = (asked: unknown, settings: { readonly defaultDays: number; readonly maxDays: number }): Result.Result<number, string> => {
  if (asked === undefined) return Result.succeed(Math.min(settings.defaultDays, settings.maxDays))
  if (typeof asked !== "number" || !Number.isInteger(asked) || asked < 1 || asked > settings.maxDays) {
    return Result.fail(`expiresInDays must be a whole number of days from 1 to ${settings.maxDays}`)
  }
  return Result.succeed(asked)
}
