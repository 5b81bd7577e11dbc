/**
 * The payout line state machine: by example, and as a model-based test where
 * random sequences of bank answers and officer actions never pay a line
 * twice and always agree with a simple model.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  approveLine,
  depositLine,
  type LineAction,
  type LineState,
  type LineStatus,
  markPaid,
  markReturned,
  plannedLine,
  sendLine
} from "../../domain/payout/line-state.ts"
import type { Settlement } from "../../domain/payout/plan.ts"

const AT = "2025-07-01T03:00:00.000Z"
const ok = (r: Result.Result<LineStatus, unknown>): LineStatus => Result.getOrThrow(r as Result.Result<LineStatus, never>)
const reason = (r: Result.Result<LineStatus, { reason: string }>): string => (Result.isFailure(r) ? r.failure.reason : "accepted")

describe("a bank line", () => {
  test("planned → approved → sent → paid", () => {
    let s = plannedLine("abc-0000001", "bank")
    s = ok(approveLine(s, AT))
    s = ok(sendLine(s, AT, "pain.001 batch 1"))
    s = ok(markPaid(s, AT, "FT25182000001"))
    expect(s.state).toBe("paid")
    expect(s.sends).toBe(1)
    expect(s.events.map((e) => e.action)).toEqual(["approve", "send", "paid"])
  })

  test("is never paid twice, and never sent again once sent, until returned", () => {
    const sent = ok(sendLine(ok(approveLine(plannedLine("l", "bank"), AT)), AT))
    expect(reason(sendLine(sent, AT))).toBe("already_sent")
    const paid = ok(markPaid(sent, AT))
    expect(reason(markPaid(paid, AT))).toBe("already_paid")
    expect(reason(sendLine(paid, AT))).toBe("already_paid")
    expect(reason(markReturned(paid, AT, "R03"))).toBe("already_paid")
    expect(reason(depositLine(paid, AT, "TK-1"))).toBe("already_paid")
  })

  test("returned → sent again → paid, or returned → deposited", () => {
    const returned = ok(markReturned(ok(sendLine(ok(approveLine(plannedLine("l", "bank"), AT)), AT)), AT, "AC04 closed account"))
    expect(returned.state).toBe("returned")
    const again = ok(sendLine(returned, AT))
    expect(again.sends).toBe(2)
    expect(ok(markPaid(again, AT)).state).toBe("paid")
    expect(ok(depositLine(returned, AT, "Sổ tiết kiệm 0012")).state).toBe("deposited")
  })

  test("is not sent before its round is approved, and not deposited before the bank returned it", () => {
    expect(reason(sendLine(plannedLine("l", "bank"), AT))).toBe("not_approved")
    expect(reason(depositLine(ok(approveLine(plannedLine("l", "bank"), AT)), AT, "TK"))).toBe("bank_line_not_returned")
    expect(reason(markPaid(ok(approveLine(plannedLine("l", "bank"), AT)), AT))).toBe("not_sent")
  })
})

describe("deposit and empty lines", () => {
  test("a deposit line is deposited once approved, never sent", () => {
    const approved = ok(approveLine(plannedLine("l", "deposit_no_account"), AT))
    expect(reason(sendLine(approved, AT))).toBe("not_a_bank_line")
    expect(ok(depositLine(approved, AT, "Sổ tiết kiệm 0012")).state).toBe("deposited")
  })

  test("a line of 0 đồng has nothing to send or deposit", () => {
    const approved = ok(approveLine(plannedLine("l", "none"), AT))
    expect(reason(sendLine(approved, AT))).toBe("nothing_to_pay")
    expect(reason(depositLine(approved, AT, "x"))).toBe("nothing_to_pay")
  })
})

// ---------------------------------------------------------------------------
// Model-based test

interface ModelLine {
  readonly settlement: Settlement
  state: LineState
  sends: number
  paidEvents: number
}
type Model = { lines: Array<ModelLine> }
type Real = { lines: Array<LineStatus> }

const SETTLEMENTS: ReadonlyArray<Settlement> = ["bank", "bank", "deposit_no_account", "deposit_not_requested", "none"]
const statesReached = new Set<LineState>()

/** What the model expects an action to do: the new state, or the refusal. */
const expectation = (line: ModelLine, action: LineAction): LineState | { refused: string } => {
  const { state, settlement } = line
  switch (action) {
    case "approve":
      return state === "planned" ? "approved" : { refused: "already_approved" }
    case "send":
      if (settlement === "none") return { refused: "nothing_to_pay" }
      if (settlement !== "bank") return { refused: "not_a_bank_line" }
      return state === "approved" || state === "returned"
        ? "sent"
        : { refused: ({ planned: "not_approved", sent: "already_sent", paid: "already_paid", deposited: "deposited" } as Record<string, string>)[state]! }
    case "paid":
      return state === "sent" ? "paid" : { refused: state === "paid" ? "already_paid" : "not_sent" }
    case "returned":
      return state === "sent" ? "returned" : { refused: state === "paid" ? "already_paid" : "not_sent" }
    case "deposit":
      if (settlement === "none") return { refused: "nothing_to_pay" }
      if (state === "returned" || (state === "approved" && settlement !== "bank")) return "deposited"
      return {
        refused: ({ planned: "not_approved", approved: "bank_line_not_returned", sent: "already_sent", paid: "already_paid", deposited: "deposited" } as Record<string, string>)[state]!
      }
  }
}

const apply = (s: LineStatus, action: LineAction) => {
  switch (action) {
    case "approve":
      return approveLine(s, AT)
    case "send":
      return sendLine(s, AT)
    case "paid":
      return markPaid(s, AT, "FT")
    case "returned":
      return markReturned(s, AT, "AC04")
    case "deposit":
      return depositLine(s, AT, "TK")
  }
}

const act = (index: number, action: LineAction): fc.Command<Model, Real> => ({
  check: (m) => index < m.lines.length,
  run(m, real) {
    const line = m.lines[index]!
    const expected = expectation(line, action)
    const result = apply(real.lines[index]!, action)
    if (typeof expected === "string") {
      const next = Result.getOrThrow(result as Result.Result<LineStatus, never>)
      expect(next.state).toBe(expected)
      real.lines[index] = next
      line.state = expected
      if (action === "send") line.sends++
      if (action === "paid") line.paidEvents++
    } else {
      expect(Result.isFailure(result) ? (result.failure.reason as string) : "accepted").toBe(expected.refused)
    }
    // Invariants, over every line: paid at most once; once paid, always paid; the real line agrees with the model.
    m.lines.forEach((ml, i) => {
      const r = real.lines[i]!
      expect(r.state).toBe(ml.state)
      expect(r.sends).toBe(ml.sends)
      expect(r.events.filter((e) => e.action === "paid").length).toBe(ml.paidEvents)
      expect(ml.paidEvents <= 1).toBe(true)
      statesReached.add(r.state)
    })
  },
  toString: () => `${action}(${index})`
})

const indexArb = fc.integer({ min: 0, max: 5 })
const actions: ReadonlyArray<LineAction> = ["approve", "send", "paid", "returned", "deposit"]
const commands = actions.map((a) => indexArb.map((i) => act(i, a)))

describe("model-based", () => {
  test("random sequences of approvals, sends and bank answers agree with the model; no line is ever paid twice", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SETTLEMENTS), { minLength: 6, maxLength: 6 }), fc.commands(commands, { maxCommands: 80, size: "large" }), (settlements, cmds) => {
        fc.modelRun(
          () => ({
            model: { lines: settlements.map((settlement) => ({ settlement, state: "planned" as LineState, sends: 0, paidEvents: 0 })) },
            real: { lines: settlements.map((settlement, i) => plannedLine(`line-${i}`, settlement)) }
          }),
          cmds
        )
      }),
      {
        numRuns: 300,
        // One walk that surely reaches every state runs first, so the coverage check below
        // never depends on luck; the random walks add the rest.
        examples: [[
          ["bank", "bank", "deposit_no_account", "none", "bank", "deposit_not_requested"],
          [act(0, "approve"), act(0, "send"), act(0, "paid"), act(0, "paid"), act(1, "approve"), act(1, "send"), act(1, "returned"),
            act(1, "send"), act(1, "returned"), act(1, "deposit"), act(2, "approve"), act(2, "deposit"), act(3, "approve"), act(3, "send")] as never
        ]]
      }
    )
    expect([...statesReached].sort()).toEqual(["approved", "deposited", "paid", "planned", "returned", "sent"])
  })
})
