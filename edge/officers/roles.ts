/**
 * What each role may do, within its own agency only.
 *
 * - officer (cán bộ): prepares drafts, uploads scans, drafts replacements, annotates.
 * - approver (lãnh đạo phê duyệt): everything an officer does, plus approving
 *   (issuing) and voiding; maker-checker still forbids approving one's own draft.
 * - auditor (kiểm soát): reads receipts, searches, reads the audit log; changes nothing.
 * - admin (quản trị): manages the agency's officers and tokens, reads; issues nothing;
 *   may delete another officer's draft, giving a reason (audited), when its maker cannot.
 * Statistical reports (docs/REPORTS.md): approvers, auditors and admins read their agency's;
 * approvers and admins close a period, one asking and another approving.
 * Officers, approvers and admins send a dead-lettered notification again (docs/NOTIFICATIONS.md).
 */
import type { Role } from "./tokens.ts"

export const Permission = {
  read: ["officer", "approver", "auditor", "admin"],
  draft: ["officer", "approver"],
  annotate: ["officer", "approver"],
  approve: ["approver"],
  void: ["approver"],
  audit: ["approver", "auditor", "admin"],
  manageOfficers: ["admin"],
  discardDrafts: ["admin"],
  readReports: ["approver", "auditor", "admin"],
  closePeriods: ["approver", "admin"],
  // Sending a dead-lettered notification again moves no money and changes no receipt: one person suffices.
  resendNotifications: ["officer", "approver", "admin"]
} as const satisfies Record<string, ReadonlyArray<Role>>

export type Permission = keyof typeof Permission

export const may = (role: Role, permission: Permission): boolean => (Permission[permission] as ReadonlyArray<Role>).includes(role)
