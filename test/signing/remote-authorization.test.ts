/**
 * The remote-signing authorisation (domain/signing/remote-authorization.ts)
 * walked through random timelines (fc.commands) against a model: confirm,
 * refuse, time passing and signing batches of hashes, some never confirmed
 * or already signed, with the hashes named in advance (SCAL2) or only their
 * number (SCAL1). Whatever happens, nothing is signed that the approver did
 * not confirm, no hash twice, never more than N, never after a refusal, the
 * deadline or the activation data's validity; final states stay final.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import type { Authorization, AuthorizationTag } from "../../domain/signing/remote-authorization.ts"
import { confirm, decline, isFinal, request, tick, useFor } from "../../domain/signing/remote-authorization.ts"

const hash = (n: number) => n.toString(16).padStart(64, "0")

interface Model {
  now: number
  status: AuthorizationTag
  deadline: number
  validUntil: number
  count: number
  /** The hashes named in advance, or undefined (any hashes). */
  authorised: ReadonlyArray<string> | undefined
  signed: Set<string>
}

interface Real {
  state: Authorization
  now: number
  /** Every hash the machine let through, in order. */
  signed: Array<string>
}

const modelTick = (m: Model) => {
  if (m.status === "Pending" && m.now > m.deadline) m.status = "Expired"
  if (m.status === "Authorized" && m.now > m.validUntil) m.status = "Lapsed"
}

const check = (m: Model, r: Real) => {
  expect(r.state._tag).toBe(m.status)
  if (r.state._tag === "Authorized") expect(new Set(r.state.signed)).toEqual(m.signed)
  // The invariants, whatever the model says.
  expect(r.signed.length).toBeLessThanOrEqual(m.count)
  expect(new Set(r.signed).size).toBe(r.signed.length)
  if (m.authorised !== undefined) for (const h of r.signed) expect(m.authorised).toContain(h)
}

class Advance implements fc.Command<Model, Real> {
  readonly ms: number
  constructor(ms: number) {
    this.ms = ms
  }
  check = () => true
  run(m: Model, r: Real) {
    m.now += this.ms
    r.now += this.ms
    modelTick(m)
    r.state = tick(r.state, r.now)
    check(m, r)
  }
  toString = () => `advance ${this.ms} ms`
}

class Confirm implements fc.Command<Model, Real> {
  readonly validFor: number
  constructor(validFor: number) {
    this.validFor = validFor
  }
  check = () => true
  run(m: Model, r: Real) {
    modelTick(m)
    const ok = m.status === "Pending"
    const out = confirm(r.state, r.now, "SAD", this.validFor)
    expect(Result.isSuccess(out)).toBe(ok)
    if (ok) {
      m.status = "Authorized"
      m.validUntil = m.now + this.validFor
    }
    if (Result.isSuccess(out)) r.state = out.success
    check(m, r)
  }
  toString = () => `confirm, valid ${this.validFor} ms`
}

class Decline implements fc.Command<Model, Real> {
  check = () => true
  run(m: Model, r: Real) {
    modelTick(m)
    const ok = m.status === "Pending"
    const out = decline(r.state, r.now, "the approver said no")
    expect(Result.isSuccess(out)).toBe(ok)
    if (ok) m.status = "Refused"
    if (Result.isSuccess(out)) r.state = out.success
    check(m, r)
  }
  toString = () => "decline"
}

class Sign implements fc.Command<Model, Real> {
  readonly picks: ReadonlyArray<number>
  constructor(picks: ReadonlyArray<number>) {
    this.picks = picks
  }
  check = () => true
  run(m: Model, r: Real) {
    modelTick(m)
    // Named in advance: picks below N name authorised hashes, higher ones were never confirmed. Otherwise any pick is a hash.
    const hashes = this.picks.map((p) => (m.authorised !== undefined && p < m.authorised.length ? m.authorised[p]! : hash(1000 + p)))
    const ok = m.status === "Authorized" && hashes.length > 0 && hashes.length <= m.count - m.signed.size &&
      new Set(hashes).size === hashes.length && hashes.every((h) => !m.signed.has(h)) &&
      (m.authorised === undefined || hashes.every((h) => m.authorised!.includes(h)))
    const out = useFor(r.state, r.now, hashes)
    expect(Result.isSuccess(out)).toBe(ok)
    if (ok) {
      for (const h of hashes) m.signed.add(h)
      if (m.signed.size === m.count) m.status = "Exhausted"
      r.signed.push(...hashes)
    }
    if (Result.isSuccess(out)) r.state = out.success
    check(m, r)
  }
  toString = () => `sign [${this.picks.join(",")}]`
}

describe("the remote-signing authorisation", () => {
  test("random timelines agree with the model, and the invariants hold throughout", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.integer({ min: 1_000, max: 120_000 }),
        fc.commands([
          fc.oneof(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom(1, 999, 1000, 1001)).map((ms) => new Advance(ms)),
          fc.integer({ min: 1, max: 300_000 }).map((ms) => new Confirm(ms)),
          fc.constant(new Decline()),
          fc.array(fc.nat(7), { minLength: 0, maxLength: 6 }).map((p) => new Sign(p))
        ], { maxCommands: 40 }),
        (n, bound, wait, commands) => {
          const hashes = bound ? Array.from({ length: n }, (_, i) => hash(i + 1)) : undefined
          const started = 1_750_000_000_000
          const state = Result.getOrThrow(request({ id: "a1", credentialId: "HCM-seal", count: n, ...(hashes === undefined ? {} : { hashes }), requestedAt: started, deadline: started + wait }))
          const m: Model = { now: started, status: "Pending", deadline: started + wait, validUntil: 0, count: n, authorised: hashes, signed: new Set() }
          fc.modelRun(() => ({ model: m, real: { state, now: started, signed: [] } }), commands)
        }
      ),
      { numRuns: 400 }
    )
  })

  test("final states stay final whatever comes next", () => {
    const r = Result.getOrThrow(request({ id: "a", credentialId: "c", count: 1, hashes: [hash(1)], requestedAt: 0, deadline: 10 }))
    const refused = Result.getOrThrow(decline(r, 5, "no"))
    const expired = tick(r, 11)
    const exhausted = Result.getOrThrow(useFor(Result.getOrThrow(confirm(r, 5, "SAD", 100)), 6, [hash(1)]))
    const lapsed = tick(Result.getOrThrow(confirm(r, 5, "SAD", 100)), 106)
    for (const s of [refused, expired, exhausted, lapsed]) {
      expect(isFinal(s)).toBe(true)
      expect(Result.isFailure(confirm(s, 7, "SAD", 100))).toBe(true)
      expect(Result.isFailure(decline(s, 7, "no"))).toBe(true)
      expect(Result.isFailure(useFor(s, 7, [hash(1)]))).toBe(true)
      expect(tick(s, 1e15)._tag).toBe(s._tag)
    }
    expect([refused._tag, expired._tag, exhausted._tag, lapsed._tag]).toEqual(["Refused", "Expired", "Exhausted", "Lapsed"])
  })

  test("a request is refused when it asks for no signature, names a malformed or repeated hash or not N of them, or a deadline before it", () => {
    const bad = (over: Partial<Parameters<typeof request>[0]>) => {
      const r = request({ id: "a", credentialId: "c", count: 1, hashes: [hash(1)], requestedAt: 0, deadline: 10, ...over })
      return Result.isFailure(r) ? r.failure.message : "ok"
    }
    expect(bad({})).toBe("ok")
    expect(bad({ count: 0, hashes: [] })).toContain("at least one signature")
    expect(bad({ count: 2 })).toContain("1 hashes named for 2 signatures")
    expect(bad({ hashes: ["xyz"] })).toContain("not a SHA-256 hash")
    expect(bad({ count: 2, hashes: [hash(1), hash(1)] })).toContain("named twice")
    expect(bad({ deadline: 0 })).toContain("after the request")
  })
})
