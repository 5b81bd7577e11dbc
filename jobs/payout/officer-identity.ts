/**
 * Who runs a `bienlai payout` step that moves money: the officer whose API
 * token is given, never a name typed on the command line (the shared rule in
 * jobs/program/officer-identity.ts). This file says which roles each step
 * needs: approving needs the approver role; the other writing steps (import,
 * plan, export, answers, deposit) an officer or approver.
 */
import type { Role } from "../../domain/privileges.ts"
import type { Sql } from "../../store/database/db.ts"
import { authenticateCliOfficer, type CliOfficer } from "../program/officer-identity.ts"

export { IdentityRefused, readOfficerToken, TOKEN_ENV } from "../program/officer-identity.ts"

export type PayoutStep = "import" | "plan" | "approve" | "export" | "answers" | "deposit"

const ROLES_FOR: Readonly<Record<PayoutStep, ReadonlyArray<Role>>> = {
  import: ["officer", "approver"],
  plan: ["officer", "approver"],
  approve: ["approver"],
  export: ["officer", "approver"],
  answers: ["officer", "approver"],
  deposit: ["officer", "approver"]
}

export type PayoutOfficer = CliOfficer

/** The officer the token belongs to, allowed to do the payout `step` for `agency`; an IdentityRefused otherwise. */
export const authenticateOfficer = (sql: Sql, agency: string, step: PayoutStep, now: Date, env: NodeJS.ProcessEnv = process.env): Promise<PayoutOfficer> =>
  authenticateCliOfficer(sql, agency, { name: `payout ${step}`, roles: ROLES_FOR[step] }, now, env)
