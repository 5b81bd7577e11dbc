/**
 * Maker-checker for bulk jobs, against the officers table (edge/officers):
 * the maker of each row must be an active officer of the row's agency who
 * may prepare drafts, and the approver an active approver of that agency who
 * is not the maker. The registry is a plain object so it travels to workers.
 */

export interface OfficerEntry {
  readonly agency: string
  readonly role: string
  readonly active: boolean
}

export type OfficerRegistry = Readonly<Record<string, OfficerEntry>>

const drafting = new Set(["officer", "approver"])

const aRole = (role: string): string => `${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`

/** Why `maker` may not prepare receipts of `agency` (empty: they may). */
export const checkMaker = (registry: OfficerRegistry, agency: string, maker: string): Array<string> => {
  const entry = registry[maker]
  if (entry === undefined) return [`${maker} is not a registered officer`]
  if (entry.agency !== agency) return [`${maker} is an officer of ${entry.agency}, not of ${agency}`]
  if (!entry.active) return [`${maker} is disabled`]
  if (!drafting.has(entry.role)) return [`${maker} is ${aRole(entry.role)} and may not prepare receipts`]
  return []
}

/** Why `approver` may not approve `maker`'s receipts of `agency` (empty: they may). */
export const checkApprover = (registry: OfficerRegistry, agency: string, approver: string, maker?: string): Array<string> => {
  if (maker !== undefined && approver === maker) {
    return [`${maker} prepared this receipt and cannot also approve it (maker-checker); another approver must issue it`]
  }
  const entry = registry[approver]
  if (entry === undefined) return [`the approver ${approver} is not a registered officer`]
  if (entry.agency !== agency) return [`the approver ${approver} belongs to ${entry.agency}, not to ${agency}`]
  if (!entry.active) return [`the approver ${approver} is disabled`]
  if (entry.role !== "approver") return [`${approver} is ${aRole(entry.role)}, not an approver, of ${agency}`]
  return []
}
