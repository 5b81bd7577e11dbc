/**
 * Matching credits to what they pay, in order of strength:
 *
 *   1. payment_reference (confidence 1.00): the memo carries a bienlai payment reference;
 *   2. bank_reference (0.95): the credit's bank reference (FT…) is the one written on a receipt;
 *   3. decision_amount_name (0.80): the memo's decision number, the exact amount
 *      and the payer's name all agree with one target, and no other credit wants it.
 *
 * Credits and targets joined by a rule form a group; a group is matched only
 * when its sums agree (one credit paying several targets, or several credits
 * paying one target). Anything else (sums that differ, several credits and
 * several targets at once, a reference two targets share, two credits for
 * one target, a name that differs) goes to the officer's queue with the
 * candidates, never matched by itself. A credit with no candidate at all is
 * unmatched and becomes a draft-receipt proposal.
 *
 * Every decision depends on sets, never on the order credits arrive in:
 * inputs are sorted first and groups are decided as wholes.
 */
import { type Credit, remaining, type Target, type TargetKind } from "./credit.ts"

export type MatchRule = "payment_reference" | "bank_reference" | "decision_amount_name"

export const ruleConfidence: Record<MatchRule, number> = { payment_reference: 1, bank_reference: 0.95, decision_amount_name: 0.8 }

/** Why a match was made: kept with it. */
export interface Evidence {
  readonly rule: MatchRule
  /** The value that joined them: the payment reference, the bank reference or the decision number. */
  readonly joinedBy: ReadonlyArray<string>
  readonly memo: string
  readonly creditAmount: string
  readonly targetAmount: string
  readonly groupCredits: ReadonlyArray<string>
  readonly groupTargets: ReadonlyArray<string>
  readonly payerName?: string
}

export interface Allocation {
  readonly creditKey: string
  readonly targetId: string
  readonly targetKind: TargetKind
  readonly amount: bigint
  readonly rule: MatchRule
  readonly confidence: number
  readonly evidence: Evidence
}

export type QueueReason =
  | "amount_differs"
  | "many_to_many"
  | "reference_shared"
  | "several_candidates"
  | "contested"
  | "name_differs"
  | "decision_amount_differs"

export interface QueueItem {
  readonly creditKey: string
  readonly reason: QueueReason
  readonly candidates: ReadonlyArray<string>
  readonly message: string
}

export interface AmountFlag {
  readonly kind: "amount_differs"
  readonly creditKeys: ReadonlyArray<string>
  readonly targetIds: ReadonlyArray<string>
  readonly creditAmount: bigint
  readonly targetAmount: bigint
  readonly message: string
}

export interface MatchResult {
  readonly allocations: ReadonlyArray<Allocation>
  readonly queue: ReadonlyArray<QueueItem>
  /** Credits with no candidate at all, by key. */
  readonly unmatched: ReadonlyArray<string>
  readonly flags: ReadonlyArray<AmountFlag>
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const targetKey = (t: Target) => `${t.kind}:${t.id}`

interface Group {
  readonly credits: Array<Credit>
  readonly targets: Array<Target>
  readonly joinedBy: Set<string>
}

/** Groups credits and targets joined by edges (union-find), each group sorted. */
const groups = (edges: ReadonlyArray<{ readonly credit: Credit; readonly target: Target; readonly via: string }>): Array<Group> => {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r) as string
    let y = x
    while (y !== r) {
      const next = parent.get(y) as string
      parent.set(y, r)
      y = next
    }
    return r
  }
  const add = (x: string) => {
    if (!parent.has(x)) parent.set(x, x)
  }
  for (const e of edges) {
    const c = `c|${e.credit.key}`
    const t = `t|${targetKey(e.target)}`
    add(c)
    add(t)
    const rc = find(c)
    const rt = find(t)
    if (rc !== rt) parent.set(rc < rt ? rt : rc, rc < rt ? rc : rt)
  }
  const out = new Map<string, Group>()
  for (const e of edges) {
    const root = find(`c|${e.credit.key}`)
    let g = out.get(root)
    if (g === undefined) {
      g = { credits: [], targets: [], joinedBy: new Set() }
      out.set(root, g)
    }
    if (!g.credits.includes(e.credit)) g.credits.push(e.credit)
    if (!g.targets.includes(e.target)) g.targets.push(e.target)
    g.joinedBy.add(e.via)
  }
  const list = [...out.values()]
  for (const g of list) {
    g.credits.sort((a, b) => byKey(a.key, b.key))
    g.targets.sort((a, b) => byKey(targetKey(a), targetKey(b)))
  }
  return list.sort((a, b) => byKey((a.credits[0] as Credit).key, (b.credits[0] as Credit).key))
}

const sum = (xs: ReadonlyArray<bigint>): bigint => xs.reduce((a, b) => a + b, 0n)

interface Outcome {
  readonly allocations: Array<Allocation>
  readonly queue: Array<QueueItem>
  readonly flags: Array<AmountFlag>
}

/** Decides one group joined by a reference rule (1 or 2). */
const decideGroup = (g: Group, rule: MatchRule, shared: ReadonlySet<string>, out: Outcome): void => {
  const candidates = g.targets.map((t) => t.id)
  const queueAll = (reason: QueueReason, message: string) => {
    for (const c of g.credits) out.queue.push({ creditKey: c.key, reason, candidates, message })
  }
  const joinedBy = [...g.joinedBy].sort(byKey)
  const sharedBy = joinedBy.filter((v) => shared.has(v))
  if (sharedBy.length > 0) {
    queueAll("reference_shared", `mã thanh toán ${sharedBy.join(", ")} thuộc nhiều biên lai hoặc đề nghị (${candidates.join(", ")}); cán bộ cần chọn`)
    return
  }
  const creditSum = sum(g.credits.map((c) => c.amount))
  const targetSum = sum(g.targets.map(remaining))
  if (g.credits.length > 1 && g.targets.length > 1) {
    queueAll("many_to_many", `${g.credits.length} khoản ghi có và ${g.targets.length} biên lai hoặc đề nghị cùng gắn với ${joinedBy.join(", ")}; cán bộ cần phân chia`)
    return
  }
  if (creditSum !== targetSum) {
    const message = `${g.credits.length > 1 ? `${g.credits.length} khoản ghi có` : "khoản ghi có"} (${creditSum} đồng) và số phải nộp theo ${joinedBy.join(", ")} (${targetSum} đồng) chênh nhau ${creditSum - targetSum} đồng`
    queueAll("amount_differs", message)
    out.flags.push({ kind: "amount_differs", creditKeys: g.credits.map((c) => c.key), targetIds: candidates, creditAmount: creditSum, targetAmount: targetSum, message })
    return
  }
  const evidenceFor = (c: Credit, t: Target): Evidence => ({
    rule,
    joinedBy,
    memo: c.memo,
    creditAmount: c.amount.toString(),
    targetAmount: t.amount.toString(),
    groupCredits: g.credits.map((x) => x.key),
    groupTargets: candidates
  })
  for (const c of g.credits) {
    for (const t of g.targets) {
      // One credit pays each target its remainder; several credits each pay their whole amount to the one target.
      const amount = g.credits.length === 1 ? remaining(t) : c.amount
      out.allocations.push({ creditKey: c.key, targetId: t.id, targetKind: t.kind, amount, rule, confidence: ruleConfidence[rule], evidence: evidenceFor(c, t) })
    }
  }
}

const index = (targets: ReadonlyArray<Target>, keyOf: (t: Target) => string | undefined): Map<string, Array<Target>> => {
  const m = new Map<string, Array<Target>>()
  for (const t of targets) {
    const k = keyOf(t)
    if (k === undefined) continue
    const list = m.get(k)
    if (list === undefined) m.set(k, [t])
    else list.push(t)
  }
  return m
}

/** Phases 1 and 2: credits joined to targets by a key the credit carries. */
const byReferenceRule = (
  credits: ReadonlyArray<Credit>,
  targets: ReadonlyArray<Target>,
  rule: MatchRule,
  keysOf: (c: Credit) => ReadonlyArray<string>,
  keyOf: (t: Target) => string | undefined,
  out: Outcome
): { readonly decided: Set<string>; readonly used: Set<Target> } => {
  const idx = index(targets, keyOf)
  const shared = new Set([...idx].filter(([, ts]) => ts.length > 1).map(([k]) => k))
  const edges: Array<{ credit: Credit; target: Target; via: string }> = []
  for (const c of credits) {
    for (const k of keysOf(c)) for (const t of idx.get(k) ?? []) edges.push({ credit: c, target: t, via: k })
  }
  const decided = new Set<string>()
  const used = new Set<Target>()
  for (const g of groups(edges)) {
    decideGroup(g, rule, shared, out)
    for (const c of g.credits) decided.add(c.key)
    for (const t of g.targets) used.add(t)
  }
  return { decided, used }
}

const nameAgrees = (c: Credit, t: Target): boolean =>
  t.payerName !== "" &&
  (c.reading.payerName === t.payerName || c.counterpartyName === t.payerName || ` ${c.reading.payerName ?? ""} `.includes(` ${t.payerName} `))

/** Phase 3: the decision number, the exact amount and the payer's name. */
const byDecision = (credits: ReadonlyArray<Credit>, targets: ReadonlyArray<Target>, out: Outcome): Set<string> => {
  const idx = index(targets, (t) => t.decisionNumber)
  const decided = new Set<string>()
  const strong = new Map<string, Array<Target>>()
  const wantedBy = new Map<Target, number>()
  for (const c of credits) {
    const withDecision = c.reading.decisionNumbers.flatMap((d) => idx.get(d) ?? [])
    if (withDecision.length === 0) continue
    const sameAmount = withDecision.filter((t) => remaining(t) === c.amount)
    const agreeing = sameAmount.filter((t) => nameAgrees(c, t))
    strong.set(c.key, agreeing)
    for (const t of agreeing) wantedBy.set(t, (wantedBy.get(t) ?? 0) + 1)
    decided.add(c.key)
    const ids = (ts: ReadonlyArray<Target>) => [...new Set(ts.map((t) => t.id))].sort(byKey)
    const decisions = c.reading.decisionNumbers.join(", ")
    if (agreeing.length > 1) {
      out.queue.push({ creditKey: c.key, reason: "several_candidates", candidates: ids(agreeing), message: `${agreeing.length} biên lai hoặc đề nghị của quyết định ${decisions} có cùng số tiền và người nộp này` })
    } else if (agreeing.length === 0 && sameAmount.length > 0) {
      out.queue.push({ creditKey: c.key, reason: "name_differs", candidates: ids(sameAmount), message: `quyết định ${decisions} và số tiền khớp, nhưng tên người nộp không khớp (nội dung chuyển khoản: ${c.reading.payerName ?? c.counterpartyName ?? "không có tên"})` })
    } else if (agreeing.length === 0) {
      out.queue.push({ creditKey: c.key, reason: "decision_amount_differs", candidates: ids(withDecision), message: `có quyết định ${decisions}, nhưng không biên lai hoặc đề nghị nào của quyết định này phải nộp ${c.amount} đồng` })
    }
  }
  for (const c of credits) {
    const agreeing = strong.get(c.key)
    if (agreeing === undefined || agreeing.length !== 1) continue
    const t = agreeing[0] as Target
    if ((wantedBy.get(t) ?? 0) > 1) {
      out.queue.push({ creditKey: c.key, reason: "contested", candidates: [t.id], message: `nhiều khoản ghi có cùng quyết định ${t.decisionNumber}, số tiền và người nộp này; cán bộ cần chọn` })
      continue
    }
    out.allocations.push({
      creditKey: c.key,
      targetId: t.id,
      targetKind: t.kind,
      amount: c.amount,
      rule: "decision_amount_name",
      confidence: ruleConfidence.decision_amount_name,
      evidence: {
        rule: "decision_amount_name",
        joinedBy: [t.decisionNumber as string],
        memo: c.memo,
        creditAmount: c.amount.toString(),
        targetAmount: t.amount.toString(),
        groupCredits: [c.key],
        groupTargets: [t.id],
        payerName: t.payerName
      }
    })
  }
  return decided
}

export const matchCredits = (creditsIn: ReadonlyArray<Credit>, targetsIn: ReadonlyArray<Target>): MatchResult => {
  const credits = [...new Map(creditsIn.map((c) => [c.key, c])).values()].sort((a, b) => byKey(a.key, b.key))
  const targets = targetsIn.filter((t) => remaining(t) > 0n).sort((a, b) => byKey(targetKey(a), targetKey(b)))
  const out: Outcome = { allocations: [], queue: [], flags: [] }

  const first = byReferenceRule(credits, targets, "payment_reference", (c) => c.reading.references, (t) => t.paymentReference, out)
  const afterFirst = credits.filter((c) => !first.decided.has(c.key))
  const free1 = targets.filter((t) => !first.used.has(t))

  const second = byReferenceRule(afterFirst, free1, "bank_reference", (c) => [...new Set([c.bankReference, ...c.reading.bankReferences])], (t) => t.bankReference, out)
  const afterSecond = afterFirst.filter((c) => !second.decided.has(c.key))
  const free2 = free1.filter((t) => !second.used.has(t))

  const third = byDecision(afterSecond, free2, out)
  const unmatched = afterSecond.filter((c) => !third.has(c.key)).map((c) => c.key)

  const order = (a: { creditKey: string }, b: { creditKey: string }) => byKey(a.creditKey, b.creditKey)
  return {
    allocations: out.allocations.sort((a, b) => order(a, b) || byKey(a.targetId, b.targetId)),
    queue: out.queue.sort(order),
    unmatched,
    flags: out.flags.sort((a, b) => byKey(a.creditKeys[0] as string, b.creditKeys[0] as string))
  }
}
