/**
 * Where the officer-administration tests start from, through the shipped app:
 * the agencies HCM and HNI, officers with a bearer token each, and a call to
 * the officer API as one of them; officerSuite sets all of it up for a
 * describe block on one database.
 */
import { afterAll, beforeAll } from "bun:test"
import { grantToken, insertOfficer, type Role } from "../../edge/officers/tokens.ts"
import type { TestDatabase } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

export type SeededOfficer = readonly [id: string, agency: string, role: Role]

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))

/** Adds HCM and HNI and the officers (named `nameOf(id)`); returns each one's bearer token by id. */
export const seedOfficers = async (
  h: Harness,
  officers: ReadonlyArray<SeededOfficer>,
  nameOf: (id: string) => string = (id) => id
): Promise<Record<string, string>> => {
  for (const code of ["HCM", "HNI"]) await h.db.db.query("INSERT INTO agencies (code, name) VALUES ($1::text, $2::text)", [code, `Cục THADS ${code}`])
  const tokens: Record<string, string> = {}
  for (const [id, agency, role] of officers) {
    await insertOfficer(h.db.db, { id, agency, name: nameOf(id), role })
    tokens[id] = await grantToken(h.db.db, id, "test", randomBytes, { now: h.services.now() })
  }
  return tokens
}

export interface OfficerApiAnswer {
  readonly status: number
  readonly headers: Headers
  /** The JSON body, null when there is none. */
  readonly body: any
}

/**
 * A call to /api/officer as `who`: that officer's token from `tokens` (read
 * at each call: tokens enrolled later count), or `who` itself taken as a
 * token (a wrong or revoked one), or no token at all when `who` is undefined.
 * `harness` is asked at each call, the harness being made in beforeAll.
 */
export const officerApi =
  (harness: () => Harness, tokens: Record<string, string>) =>
  async (who: string | undefined, method: string, path: string, body?: unknown): Promise<OfficerApiAnswer> => {
    const res = await harness().app.request(`/api/officer${path}`, {
      method,
      headers: {
        ...(who === undefined ? {} : { Authorization: `Bearer ${tokens[who] ?? who}` }),
        ...(body === undefined ? {} : { "Content-Type": "application/json" })
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: text === "" ? null : JSON.parse(text) }
  }

export interface OfficerSuite {
  /** The describe block's harness; made in beforeAll, so asked for inside a test. */
  readonly harness: () => Harness
  /** Each seeded officer's bearer token by id; a test may add the tokens it enrols. */
  readonly tokens: Record<string, string>
  readonly call: ReturnType<typeof officerApi>
}

/**
 * For the describe block it is called in: a harness on a fresh `target`
 * database (no rate limit: these tests call the API many times a second)
 * with HCM, HNI and `officers` seeded, made in beforeAll and closed in
 * afterAll.
 */
export const officerSuite = (
  target: { readonly make: () => Promise<TestDatabase> },
  officers: ReadonlyArray<SeededOfficer>,
  nameOf?: (id: string) => string
): OfficerSuite => {
  let h: Harness | undefined
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    h = await makeHarness(await target.make(), { rateLimit: null })
    Object.assign(tokens, await seedOfficers(h, officers, nameOf))
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })
  const harness = (): Harness => {
    if (h === undefined) throw new Error("officerSuite's harness is made in beforeAll: ask for it inside a test")
    return h
  }
  return { harness, tokens, call: officerApi(harness, tokens) }
}
