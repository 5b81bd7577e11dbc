/**
 * Officer API tokens: 32 random bytes, base64url, prefixed "blk_" so a
 * leaked token is recognisable in a secret scanner. Only the SHA-256 of a
 * token is stored (store/officers/api-tokens.ts); the token itself is shown once, to
 * its own officer, when it is made. Every token expires (90 days unless
 * asked otherwise, never more than the configured maximum) and can be
 * revoked.
 */
import { toBase64Url, toHex } from "../../domain/signing/bytes.ts"
import type { Role } from "../../domain/privileges.ts"
import { insertToken, principalOfTokenHash } from "../../store/officers/api-tokens.ts"
import type { Sql } from "../../store/database/db.ts"
import type { Principal } from "../http/env.ts"

export { insertOfficer, type OfficerRecord } from "../../store/officers/officers.ts"
export type { Role }

export const TOKEN_PREFIX = "blk_"
const tokenShape = /^blk_[A-Za-z0-9_-]{43}$/

export const newApiToken = (randomBytes: (n: number) => Uint8Array): string => TOKEN_PREFIX + toBase64Url(randomBytes(32))

export const isTokenShaped = (token: string): boolean => tokenShape.test(token)

/** Hex SHA-256 of a secret (token, session id, enrolment code): what the database keeps instead. */
export const sha256Hex = async (secret: string): Promise<string> =>
  toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))))

export const tokenSha256 = sha256Hex

export interface MadeToken {
  readonly token: string
  readonly tokenId: string
  readonly expiresAt: string
}

/** Makes a token for an officer and stores its hash; the token is returned once. */
export const makeToken = async (
  sql: Sql,
  t: { readonly officerId: string; readonly label: string; readonly randomBytes: (n: number) => Uint8Array; readonly now?: Date; readonly days?: number; readonly expiresAt?: string }
): Promise<MadeToken> => {
  const token = newApiToken(t.randomBytes)
  const stored = await insertToken(sql, {
    sha256: await sha256Hex(token),
    officerId: t.officerId,
    label: t.label,
    createdAt: t.now?.toISOString(),
    expiresAt: t.expiresAt,
    ...(t.days === undefined ? {} : { days: t.days })
  })
  return { token, ...stored }
}

/**
 * A token for an officer, straight into the store, for set-ups that stand
 * outside the four-eyes model on purpose (the demo seed, tests); the service
 * itself gives tokens only to their own officer (edge/officers/privileges.ts).
 */
export const grantToken = async (
  sql: Sql,
  officerId: string,
  label: string,
  randomBytes: (n: number) => Uint8Array,
  options: { readonly now?: Date; readonly days?: number } = {}
): Promise<string> => (await makeToken(sql, { officerId, label, randomBytes, ...options })).token

/** The officer a bearer token belongs to, or undefined for an unknown, revoked or expired one, or a disabled officer. */
export const principalOf = async (sql: Sql, token: string, now?: Date): Promise<(Principal & { readonly tokenId: string; readonly tokenExpiresAt: string }) | undefined> => {
  if (!isTokenShaped(token)) return undefined
  const row = await principalOfTokenHash(sql, await sha256Hex(token), now?.toISOString())
  return row === undefined ? undefined : { officer: row.officer, agency: row.agency, role: row.role, tokenId: row.tokenId, tokenExpiresAt: row.expiresAt }
}
