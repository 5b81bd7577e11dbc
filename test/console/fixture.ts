/**
 * The console over the real edge app and store on a fresh database (PGlite,
 * or PostgreSQL in its own schema with TEST_DATABASE_URL): agencies HCM and
 * HNI, and officers with tokens — an officer and an approver in HCM, an
 * officer in HNI. The clock is the harness's (2025-06-23, Vietnam).
 */
import { Hono } from "hono"
import { makeConsole, type Console, type ConsoleOptions } from "../../edge/console/index.ts"
import { insertOfficer, grantToken, type Role } from "../../edge/officers/tokens.ts"
import { makeActions } from "../../edge/officers/actions.ts"
import { freshPglite, freshPostgres, testDatabaseUrl } from "../store/databases.ts"
import { type Harness, makeHarness } from "../edge/harness.ts"

export interface ConsoleFixture {
  readonly h: Harness
  readonly console: Console
  readonly app: Hono
  readonly tokens: { readonly officer: string; readonly approver: string; readonly auditor: string; readonly otherAgency: string }
  readonly actions: ReturnType<typeof makeActions>
  readonly close: () => Promise<void>
}

export const officers: ReadonlyArray<{ id: string; agency: string; name: string; role: Role; key: keyof ConsoleFixture["tokens"] }> = [
  { id: "lan.nguyen", agency: "HCM", name: "Nguyễn Thị Lan", role: "officer", key: "officer" },
  { id: "hung.tran", agency: "HCM", name: "Trần Quốc Hùng", role: "approver", key: "approver" },
  { id: "mai.le", agency: "HCM", name: "Lê Thị Mai", role: "auditor", key: "auditor" },
  { id: "thu.pham", agency: "HNI", name: "Phạm Thị Thu", role: "officer", key: "otherAgency" }
]

export const makeConsoleFixture = async (options: ConsoleOptions = {}): Promise<ConsoleFixture> => {
  const db = testDatabaseUrl === undefined ? await freshPglite() : await freshPostgres(testDatabaseUrl, "bienlai-console-test")
  const h = await makeHarness(db, { rateLimit: null })
  await db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự Thành phố Hồ Chí Minh'), ('HNI', 'Cục Thi hành án dân sự Thành phố Hà Nội')")
  const tokens: Record<string, string> = {}
  for (const o of officers) {
    await insertOfficer(db.db, o)
    tokens[o.key] = await grantToken(db.db, o.id, "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
  }
  const console = makeConsole(h.services, options)
  const app = new Hono()
  app.route("/console", console.routes)
  app.route("/", h.app)
  return {
    h,
    console,
    app,
    tokens: tokens as unknown as ConsoleFixture["tokens"],
    actions: makeActions(h.services),
    close: async () => {
      await console.close()
      await h.close()
    }
  }
}
