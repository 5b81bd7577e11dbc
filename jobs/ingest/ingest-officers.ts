/**
 * Who a `bienlai ingest` is by, proven by API tokens, never typed: the maker
 * of every row is the officer of one token, and issuing in the same command
 * (`--issue`: made and approved at once) needs a second officer's token, the
 * approver's. One person holding one token can store drafts, never issue
 * them; the same officer behind both tokens is refused before anything is
 * written (maker-checker, docs/SECURITY.md).
 *
 *   --as-drafts  maker: BIENLAI_MAKER_TOKEN, else BIENLAI_TOKEN, else a hidden prompt
 *   --issue      maker: BIENLAI_MAKER_TOKEN, else a hidden prompt
 *                approver: BIENLAI_TOKEN, else a hidden prompt (as for `bienlai sign`)
 */
import type { Sql } from "../../store/database/db.ts"
import { authenticateCliOfficer, IdentityRefused, TOKEN_ENV, type TokenSource } from "../program/officer-identity.ts"

export const MAKER_TOKEN_ENV = "BIENLAI_MAKER_TOKEN"

const twoOfficers = `ingest --issue needs two officers: the maker's token in ${MAKER_TOKEN_ENV} and another officer's, the approver's, in ${TOKEN_ENV}`

const makerToken = (mode: "drafts" | "issue"): TokenSource => ({
  env: mode === "issue" ? [MAKER_TOKEN_ENV] : [MAKER_TOKEN_ENV, TOKEN_ENV],
  what: "the maker's token",
  prompt: "Mã truy cập của người lập (maker's API token, not shown): ",
  missing: mode === "issue"
    ? `${MAKER_TOKEN_ENV} is not set and there is no terminal to ask for the maker's token: ${twoOfficers}`
    : `${TOKEN_ENV} is not set and there is no terminal to ask for the maker's token`
})

const approverToken: TokenSource = {
  env: [TOKEN_ENV],
  what: "the approver's token",
  prompt: "Mã truy cập của người duyệt (approver's API token, not shown): ",
  missing: `${TOKEN_ENV} is not set and there is no terminal to ask for the approver's token: ${twoOfficers}`
}

export interface IngestOfficers {
  readonly maker: string
  /** --issue only. */
  readonly approver?: string | undefined
}

/** The refusal of the old `--maker NAME` (exit 2). */
export const typedMakerRefused =
  `--maker is not read any more: the maker of every row is the officer whose API token is in ${TOKEN_ENV} ` +
  `(with --issue: in ${MAKER_TOKEN_ENV}, the approver's in ${TOKEN_ENV}), or typed at the prompt`

/**
 * The maker (an officer or approver of `agency`) and, to issue, the approver
 * (an approver of the same agency, another officer); an IdentityRefused
 * naming what is wrong otherwise, never echoing a token.
 */
export const authenticateIngestOfficers = async (
  sql: Sql,
  agency: string | undefined,
  mode: "drafts" | "issue",
  now: Date,
  env: NodeJS.ProcessEnv = process.env
): Promise<IngestOfficers> => {
  // The roles that draft through the officer API too (edge/officers/roles.ts): never an auditor or an admin.
  const maker = await authenticateCliOfficer(sql, agency, { name: "the maker of an ingest", roles: ["officer", "approver"], token: makerToken(mode) }, now, env)
  if (mode === "drafts") return { maker: maker.officer }
  // Without --agency, the approver must be of the maker's agency: the rows are the maker's.
  const approver = await authenticateCliOfficer(sql, agency ?? maker.agency, { name: "ingest --issue", roles: ["approver"], token: approverToken }, now, env)
  if (approver.officer === maker.officer) {
    throw new IdentityRefused(`${maker.officer} is behind both tokens, the maker's and the approver's: ${twoOfficers} (maker-checker)`)
  }
  return { maker: maker.officer, approver: approver.officer }
}
