/**
 * Who runs a CLI step that four eyes guard (a payout step, closing a
 * statistical period, importing a statement whose credits become drafts):
 * the officer whose API token is given, never a name typed on the command
 * line. Four eyes mean nothing if the second pair is a flag anyone can type
 * (`--by somebody.else`), so the step authenticates the officer as the
 * officer API does (store/officers/api-tokens.ts: the token's SHA-256, not
 * revoked, not expired, officer enabled), then checks the officer's agency
 * against --agency and the role against what the step allows.
 *
 * The token comes from BIENLAI_TOKEN or, on a terminal, a prompt that does
 * not echo: never from a flag, which would land in shell history and in
 * process listings. Messages never repeat the token.
 */
import type { Role } from "../../domain/privileges.ts"
import { sha256Hex } from "../../domain/payout/sha256.ts"
import type { Sql } from "../../store/database/db.ts"
import { principalOfTokenHash } from "../../store/officers/api-tokens.ts"
import { askHidden } from "./hidden-prompt.ts"

export const TOKEN_ENV = "BIENLAI_TOKEN"

export interface CliOfficer {
  readonly officer: string
  readonly agency: string
  readonly role: Role
}

/**
 * Where a step's token comes from: the first of `env` that is set, else a
 * hidden prompt. A command with two officers (`ingest --issue`: maker and
 * approver) reads each from its own variable and says whose token is wrong.
 */
export interface TokenSource {
  readonly env: ReadonlyArray<string>
  /** Whose token it is in messages: "the officer token", "the maker's token". */
  readonly what: string
  readonly prompt: string
  /** What to say when no variable is set and there is no terminal (default: which variable to set). */
  readonly missing?: string | undefined
}

export const OFFICER_TOKEN: TokenSource = {
  env: [TOKEN_ENV],
  what: "the officer token",
  prompt: "Officer API token (not shown): ",
  missing: `${TOKEN_ENV} is not set and there is no terminal to ask for the officer's token`
}

/** What the step is called in messages ("payout approve", "report close") and the roles that may do it. */
export interface CliStep {
  readonly name: string
  readonly roles: ReadonlyArray<Role>
  /** Default: BIENLAI_TOKEN, or the prompt "Officer API token". */
  readonly token?: TokenSource | undefined
}

export class IdentityRefused extends Error {}

const TOKEN_SHAPE = /^blk_[A-Za-z0-9_-]{43}$/

/** The token from the environment, or asked for on the terminal without echo. */
export const readOfficerToken = async (env: NodeJS.ProcessEnv = process.env, source: TokenSource = OFFICER_TOKEN): Promise<string> => {
  for (const name of source.env) {
    const fromEnv = env[name]
    if (fromEnv !== undefined && fromEnv !== "") return fromEnv.trim()
  }
  try {
    return (await askHidden(source.prompt, source.missing ?? `${source.env.join(" or ")} is not set and there is no terminal to ask for ${source.what}`)).trim()
  } catch (error) {
    throw new IdentityRefused(error instanceof Error ? error.message : String(error))
  }
}

/**
 * The officer the token belongs to, allowed to do `step` for `agency`; an
 * IdentityRefused naming what is wrong otherwise (never echoing the token).
 * Without an agency (a file whose rows name theirs), the officer's own agency
 * stands, and the step checks each row against it.
 */
export const authenticateCliOfficer = async (sql: Sql, agency: string | undefined, step: CliStep, now: Date, env: NodeJS.ProcessEnv = process.env): Promise<CliOfficer> => {
  const source = step.token ?? OFFICER_TOKEN
  const token = await readOfficerToken(env, source)
  if (!TOKEN_SHAPE.test(token)) throw new IdentityRefused(`${source.what} is not a bienlai token (it starts with "blk_" and has 47 characters); ask your admin for one`)
  const found = await principalOfTokenHash(sql, sha256Hex(token), now.toISOString())
  if (found === undefined) throw new IdentityRefused(`${source.what} is unknown, revoked or expired, or its officer is disabled`)
  if (agency !== undefined && found.agency !== agency) {
    throw new IdentityRefused(`${found.officer} works for agency ${found.agency}; they cannot act for agency ${agency}`)
  }
  if (!step.roles.includes(found.role)) {
    throw new IdentityRefused(`${found.officer} has the role ${found.role}; ${step.name} needs the role ${step.roles.join(" or ")}`)
  }
  return { officer: found.officer, agency: found.agency, role: found.role }
}

/** The refusal of a flag that used to name the acting officer (exit 2 in every command). */
export const typedOfficerRefused = (flag: string): string =>
  `--${flag} is not read any more: the officer is the one whose API token is in ${TOKEN_ENV} (or typed at the prompt)`
