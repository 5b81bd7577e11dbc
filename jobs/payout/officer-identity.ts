/**
 * Who runs a `bienlai payout` step that moves money: the officer whose API
 * token is given, never a name typed on the command line. Four eyes mean
 * nothing if the second pair is a flag anyone can type (`--approver
 * somebody.else`), so each step that writes (import, plan, approve, export,
 * answers, deposit) authenticates the officer as the officer API does
 * (store/officers/api-tokens.ts: the token's SHA-256, not revoked, not
 * expired, officer enabled), then checks the officer's agency against
 * --agency and the role against the step.
 *
 * The token comes from BIENLAI_TOKEN or, on a terminal, a prompt that does
 * not echo: never from a flag, which would land in shell history and in
 * process listings.
 */
import type { Role } from "../../domain/privileges.ts"
import { sha256Hex } from "../../domain/payout/sha256.ts"
import type { Sql } from "../../store/database/db.ts"
import { principalOfTokenHash } from "../../store/officers/api-tokens.ts"
import { askHidden } from "../cli/hidden-prompt.ts"

export const TOKEN_ENV = "BIENLAI_TOKEN"

/** What a step needs: approving needs the approver role; the other writing steps an officer or approver. */
export type PayoutStep = "import" | "plan" | "approve" | "export" | "answers" | "deposit"

const ROLES_FOR: Readonly<Record<PayoutStep, ReadonlyArray<Role>>> = {
  import: ["officer", "approver"],
  plan: ["officer", "approver"],
  approve: ["approver"],
  export: ["officer", "approver"],
  answers: ["officer", "approver"],
  deposit: ["officer", "approver"]
}

export interface PayoutOfficer {
  readonly officer: string
  readonly agency: string
  readonly role: Role
}

export class IdentityRefused extends Error {}

const TOKEN_SHAPE = /^blk_[A-Za-z0-9_-]{43}$/

/** The token from the environment, or asked for on the terminal without echo. */
export const readOfficerToken = async (env: NodeJS.ProcessEnv = process.env): Promise<string> => {
  const fromEnv = env[TOKEN_ENV]
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv.trim()
  try {
    return (await askHidden("Officer API token (not shown): ", `${TOKEN_ENV} is not set and there is no terminal to ask for the officer's token`)).trim()
  } catch (error) {
    throw new IdentityRefused(error instanceof Error ? error.message : String(error))
  }
}

/**
 * The officer the token belongs to, allowed to do `step` for `agency`; an
 * IdentityRefused naming what is wrong otherwise (never echoing the token).
 */
export const authenticateOfficer = async (sql: Sql, agency: string, step: PayoutStep, now: Date, env: NodeJS.ProcessEnv = process.env): Promise<PayoutOfficer> => {
  const token = await readOfficerToken(env)
  if (!TOKEN_SHAPE.test(token)) throw new IdentityRefused(`the officer token is not a bienlai token (it starts with "blk_" and has 47 characters); ask your admin for one`)
  const found = await principalOfTokenHash(sql, sha256Hex(token), now.toISOString())
  if (found === undefined) throw new IdentityRefused("the officer token is unknown, revoked or expired, or its officer is disabled")
  if (found.agency !== agency) {
    throw new IdentityRefused(`${found.officer} works for agency ${found.agency}; they cannot act for agency ${agency}`)
  }
  const allowed = ROLES_FOR[step]
  if (!allowed.includes(found.role)) {
    throw new IdentityRefused(`${found.officer} has the role ${found.role}; payout ${step} needs the role ${allowed.join(" or ")}`)
  }
  return { officer: found.officer, agency: found.agency, role: found.role }
}
