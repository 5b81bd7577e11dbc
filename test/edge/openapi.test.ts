/** /openapi.json describes exactly the routes the app serves. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { freshPglite } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

describe("OpenAPI document", () => {
  let h: Harness
  beforeAll(async () => {
    h = await makeHarness(await freshPglite(), { rateLimit: null })
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  test("every registered route is described, with its method, and nothing else", async () => {
    const doc = (await (await h.app.request("/openapi.json")).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(doc.openapi).toBe("3.1.0")
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort()
    const served = [...new Set(
      h.app.routes
        .filter((r) => r.method !== "ALL" && r.path !== "/")
        // The console is HTML pages for people, not part of the JSON API.
        .filter((r) => !r.path.startsWith("/console"))
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`)
    )].sort()
    expect(described).toEqual(served)
  })
})
