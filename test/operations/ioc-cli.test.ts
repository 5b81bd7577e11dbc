/**
 * `bienlai ioc central`: the operator marks the central department (the real
 * command, on an embedded database of its own). A bad agency code or an
 * unknown agency is one line and a non-zero exit; the mark is recorded in
 * officer_audit as the operator's act. The settings of the operations
 * view's metrics and traces are read from the environment, off unless set.
 */
import { describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { metricsWanted, observabilityFromEnv } from "../../edge/program/observability.ts"
import { openPglite } from "../../store/database/pglite-db.ts"

const root = join(import.meta.dir, "..", "..")
const bun = join(root, "node_modules", ".bin", "bun")

describe("bienlai ioc central", () => {
  test("marks the central department, refuses what is not an agency, and is audited", async () => {
    const data = join(mkdtempSync(join(tmpdir(), "bienlai-ioc-cli-")), "data")
    const cli = (args: ReadonlyArray<string>) =>
      spawnSync(bun, [join(root, "jobs/bin/bienlai.ts"), "ioc", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: "", BIENLAI_DATA: data } })
    const bad = cli(["central", "--agency", "tw"])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("--agency must be an agency code")
    const unknown = cli(["central", "--agency", "TW"])
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toContain("agency TW does not exist; give --agency-name")
    const made = cli(["central", "--agency", "TW", "--agency-name", "Cục Quản lý thi hành án dân sự"])
    expect(made.status).toBe(0)
    expect(made.stdout).toContain("TW is the central department")
    const db = await openPglite(data)
    try {
      expect(await db.query("SELECT code, central FROM agencies")).toEqual([{ code: "TW", central: true }])
      const audit = await db.query<{ action: string; actor: string }>("SELECT action, actor FROM officer_audit WHERE agency = 'TW' ORDER BY seq")
      expect(audit.map((a) => a.action)).toEqual(["agency_created", "agency_made_central"])
      expect(audit[1]!.actor).toStartWith("operator:")
    } finally {
      await db.close()
    }
    expect(cli(["central", "--agency", "TW", "--off"]).status).toBe(0)
    const again = await openPglite(data)
    try {
      expect(await again.query("SELECT central FROM agencies WHERE code = 'TW'")).toEqual([{ central: false }])
    } finally {
      await again.close()
    }
  }, 60_000)
})

describe("metrics and traces settings", () => {
  test("off unless configured", () => {
    const none = observabilityFromEnv({ PORT: "8787" })
    expect(metricsWanted(none)).toBe(false)
    expect(none.tracesUrl).toBeUndefined()
  })
  test("METRICS_PORT binds to the loopback address unless METRICS_HOST says otherwise, and is never the public port", () => {
    expect(observabilityFromEnv({ METRICS_PORT: "9464" })).toMatchObject({ metricsPort: 9464, metricsHost: "127.0.0.1" })
    expect(observabilityFromEnv({ METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" }).metricsHost).toBe("0.0.0.0")
    expect(() => observabilityFromEnv({ PORT: "8787", METRICS_PORT: "8787" })).toThrow("is the public port")
    expect(() => observabilityFromEnv({ METRICS_PORT: "nine" })).toThrow("METRICS_PORT=nine is not a port number")
  })
  test("a short METRICS_TOKEN is refused; an OTLP endpoint gets /v1/traces", () => {
    expect(() => observabilityFromEnv({ METRICS_TOKEN: "secret" })).toThrow("METRICS_TOKEN is shorter than 32 characters")
    expect(observabilityFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).tracesUrl).toBe("http://collector:4318/v1/traces")
    expect(observabilityFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://c.example/traces" }).tracesUrl).toBe("https://c.example/traces")
    expect(() => observabilityFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow("is not an http(s) URL")
  })
})
