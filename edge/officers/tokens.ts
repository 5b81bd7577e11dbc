/**
 * Officer API tokens: 32 random bytes, base64url, prefixed "blk_" so a
 * leaked token is recognisable in a secret scanner. Only the SHA-256 of a
 * token is stored; the token itself is shown once, when it is made.
 */
import { toBase64Url, toHex } from "../../domain/signing/bytes.ts"
import type { Principal } from "../http/env.ts"
import type { Sql } from "../../store/db.ts"

export const TOKEN_PREFIX = "blk_"
const tokenShape = /^blk_[A-Za-z0-9_-]{43}$/

export const newApiToken = (randomBytes: (n: number) => Uint8Array): string => TOKEN_PREFIX + toBase64Url(randomBytes(32))

export const isTokenShaped = (token: string): boolean => tokenShape.test(token)

export const tokenSha256 = async (token: string): Promise<string> =>
  toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))))

export type Role = Principal["role"]

export interface OfficerRecord {
  readonly id: string
  readonly agency: string
  readonly name: string
  readonly role: Role
}

export const insertOfficer = async (sql: Sql, o: OfficerRecord): Promise<void> => {
  await sql.query(
    "INSERT INTO officers (id, agency, name, role) VALUES ($1::text, $2::text, $3::text, $4::text)",
    [o.id, o.agency, o.name, o.role]
  )
}

/** Makes a token for an officer and stores its hash; returns the token (shown once). */
export const grantToken = async (sql: Sql, officerId: string, label: string, randomBytes: (n: number) => Uint8Array): Promise<string> => {
  const token = newApiToken(randomBytes)
  await sql.query("INSERT INTO api_tokens (token_sha256, officer_id, label) VALUES ($1::text, $2::text, $3::text)", [
    await tokenSha256(token),
    officerId,
    label
  ])
  return token
}

const principalSql = `
SELECT o.id, o.agency, o.role
  FROM api_tokens t JOIN officers o ON o.id = t.officer_id
 WHERE t.token_sha256 = $1::text AND t.revoked_at IS NULL AND o.disabled_at IS NULL`

/** The officer a bearer token belongs to, or undefined for an unknown, revoked or disabled one. */
export const principalOf = async (sql: Sql, token: string): Promise<Principal | undefined> => {
  if (!isTokenShaped(token)) return undefined
  const row = (await sql.query<{ id: string; agency: string; role: Role }>(principalSql, [await tokenSha256(token)]))[0]
  return row === undefined ? undefined : { officer: row.id, agency: row.agency, role: row.role }
}
