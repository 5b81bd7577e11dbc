/**
 * The architecture as a test. First the import table of docs/ARCHITECTURE.md
 * (test/support/layer-rules.ts): for every .ts file under domain/, store/,
 * adapters/, edge/, jobs/, bench/ and test/, each import must be allowed by
 * its folder's row, and nothing outside store/ (tests and benchmarks aside)
 * runs SQL. Then the domain core's purity: no I/O modules, no ambient time
 * or randomness. Every failure names the file, the line and the rule.
 */
import { describe, expect, test } from "bun:test"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { checkFile, describeProblem, importsOf, layers, sqlUsesOf } from "./support/layer-rules.ts"
import { tokenize } from "./support/ts-tokens.ts"

const root = join(import.meta.dir, "..")
const domainDir = join(root, "domain")

const walk = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : []
  })

const relativeFile = (path: string): string => relative(root, path).split("\\").join("/")

/**
 * Breaks of the table that another change removes, each with why it is still
 * here. The test fails when one no longer occurs, so the entry goes with it.
 */
const pending: ReadonlyArray<{ readonly problem: string; readonly why: string }> = []

describe("the import table (docs/ARCHITECTURE.md)", () => {
  const files = layers.flatMap((l) => walk(join(root, l))).map((path) => ({ file: relativeFile(path), source: readFileSync(path, "utf8") }))
  const found = files.flatMap(({ file, source }) => checkFile(file, source).map(describeProblem))

  test("there are files in every layer", () => {
    for (const l of layers) expect(files.some((f) => f.file.startsWith(`${l}/`))).toBe(true)
  })

  for (const l of layers) {
    test(`${l}/ imports only what its row allows${l === "bench" || l === "test" ? "" : " and runs no SQL unless it is store/"}`, () => {
      expect(found.filter((p) => p.startsWith(`${l}/`) && !pending.some((x) => x.problem === p))).toEqual([])
    })
  }

  test("each pending exception still occurs (remove it once fixed)", () => {
    for (const x of pending) expect(found).toContain(x.problem)
  })

  // The tokenizer must see every import Bun sees, or a wrong reading of one file would hide its imports.
  test("the tokenizer finds every import Bun's own scanner finds, in every file", () => {
    const transpiler = new Bun.Transpiler({ loader: "ts" })
    const missed: Array<string> = []
    for (const { file, source } of files) {
      const ours = new Set(importsOf(tokenize(source)).map((i) => i.spec))
      for (const i of transpiler.scanImports(source.replace(/^#!.*/, ""))) if (!ours.has(i.path)) missed.push(`${file}: ${i.path}`)
    }
    expect(missed).toEqual([])
  })
})

describe("the import table check itself", () => {
  const rulesOf = (file: string, source: string) => checkFile(file, source).map((p) => `${p.line} ${p.rule}`)

  test("domain/ imports only effect and domain/", () => {
    expect(rulesOf("domain/x.ts", `import { Schema } from "effect"\nimport { a } from "./money.ts"\n`)).toEqual([])
    expect(rulesOf("domain/x.ts", `import { Schema } from "effect"\nimport type { Db } from "../store/database/db.ts"\n`)).toEqual(["2 domain/ may not import store/"])
    expect(rulesOf("domain/x.ts", `\nimport { readFileSync } from "node:fs"`)).toEqual(['2 domain/ may not import the package "node:fs"'])
  })

  test("store/ imports domain, store, effect, postgres, PGlite and node: modules, nothing else", () => {
    expect(rulesOf("store/x/y.ts", `import postgres from "postgres"\nimport { PGlite } from "@electric-sql/pglite"\nimport { a } from "../../domain/receipt.ts"\nimport { readFileSync } from "node:fs"`)).toEqual([])
    expect(rulesOf("store/x/y.ts", `import { a } from "../../adapters/keys/signer.ts"`)).toEqual(["1 store/ may not import adapters/"])
    expect(rulesOf("store/x/y.ts", `import { Hono } from "hono"`)).toEqual(['1 store/ may not import the package "hono"'])
    expect(rulesOf("store/x/y.ts", `const m = await import("../../edge/app.ts")`)).toEqual(["1 store/ may not import edge/"])
  })

  test("adapters/ import domain, adapters and libraries, not store, edge or jobs", () => {
    expect(rulesOf("adapters/pdf/x.ts", `import { PDFDocument } from "pdf-lib"\nimport { a } from "../../domain/receipt.ts"\nimport { b } from "../fonts/x.ts"`)).toEqual([])
    expect(rulesOf("adapters/pdf/x.ts", `import { a } from "../../store/database/db.ts"`)).toEqual(["1 adapters/ may not import store/"])
    expect(rulesOf("adapters/pdf/x.ts", `export { a } from "../../edge/pages/html.ts"`)).toEqual(["1 adapters/ may not import edge/"])
    expect(rulesOf("adapters/pdf/x.ts", `import type { A } from "../../jobs/cli/sign.ts"`)).toEqual(["1 adapters/ may not import jobs/"])
  })

  test("edge/ imports domain, store, adapters and edge, not jobs", () => {
    expect(rulesOf("edge/routes/x.ts", `import { Hono } from "hono"\nimport { a } from "../../store/scans/scan-reads.ts"\nimport { b } from "../../adapters/qr/x.ts"`)).toEqual([])
    expect(rulesOf("edge/routes/x.ts", `import { runWorker } from "../../jobs/ocr-worker/worker.ts"`)).toEqual(["1 edge/ may not import jobs/"])
  })

  test("jobs/ import domain, store, adapters, jobs, and the edge only through edge/main.ts", () => {
    expect(rulesOf("jobs/bin/start.ts", `import { serveEdge } from "../../edge/main.ts"\nimport { a } from "../cli/x.ts"\nimport { b } from "../../store/x.ts"`)).toEqual([])
    expect(rulesOf("jobs/cli/x.ts", `import { sha256Hex } from "../../edge/officers/tokens.ts"`)).toEqual(["1 jobs/ imports the edge only through edge/main.ts"])
  })

  test("bench/ and test/ import anything and may run SQL; no layer imports from outside the layer folders", () => {
    expect(rulesOf("test/x.test.ts", `import { a } from "../jobs/cli/x.ts"\nawait db.query("SELECT 1")\nawait sql\`DELETE FROM receipts\``)).toEqual([])
    expect(rulesOf("bench/x.ts", `import { a } from "../edge/app.ts"\nawait db.query("SELECT 1")`)).toEqual([])
    expect(rulesOf("edge/x.ts", `import pkg from "../package.json"`)).toEqual([])
    expect(rulesOf("edge/x.ts", `import cfg from "../tsconfig.json"`)).toEqual(["1 edge/ imports only from the layer folders (and package.json)"])
    expect(rulesOf("domain/x.ts", `import pkg from "../package.json"`)).toEqual(["1 domain/ imports only from the layer folders"])
  })

  test("nothing outside store/ runs SQL: tagged templates, .unsafe(, .query( on a Db, .copyIn(, statements in strings", () => {
    const sqlRules = (file: string, source: string) => checkFile(file, source).filter((p) => p.rule === "only store/ runs SQL").map((p) => `${p.line} ${p.what.split(" (")[0]}`)
    expect(sqlRules("edge/x.ts", "const rows = await sql`SELECT 1`")).toEqual(["1 a sql`…` tagged template"])
    expect(sqlRules("jobs/x.ts", "\nawait db.unsafe(text)")).toEqual(["2 .unsafe("])
    expect(sqlRules("edge/x.ts", "await s.db.query<Row>(text, [1])")).toEqual(["1 .query( on a database"])
    expect(sqlRules("adapters/x.ts", "await tx.copyIn(\"receipts\", cols, data)")).toEqual(["1 .copyIn("])
    expect(sqlRules("edge/x.ts", "const text = `\n  UPDATE uploads SET x = 1`")).toEqual(["1 an SQL statement in a string"])
    expect(sqlRules("jobs/x.ts", "const t = 'WITH r AS (SELECT 1) SELECT * FROM r'")).toEqual(["1 an SQL statement in a string"])
    // Not SQL: Hono's query parameters, an HTTP method, SQL words in comments and in prose.
    expect(sqlRules("edge/x.ts", `const lang = c.req.query("lang")\nconst m = "DELETE"\n// SELECT * FROM receipts\nconst s = "Select a file"\nconst r = /SELECT x/`)).toEqual([])
    expect(sqlRules("store/x.ts", "await db.query(\"SELECT 1\")")).toEqual([])
  })

  test("only store/scans/ names the uploads table in SQL", () => {
    expect(rulesOf("store/receipts/x.ts", "const q = `SELECT 1\\n  FROM uploads u WHERE u.id = $1::uuid`")).toEqual(["1 only store/scans/ touches the uploads table"])
    expect(rulesOf("store/receipts/x.ts", "await tx.query('DELETE FROM uploads WHERE id = $1::uuid')")).toEqual(["1 only store/scans/ touches the uploads table"])
    expect(rulesOf("store/scans/x.ts", "const q = `SELECT 1 FROM uploads`")).toEqual([])
    expect(rulesOf("store/receipts/x.ts", "const q = `SELECT 1 FROM uploads_archive`")).toEqual([])
  })

  test("a problem names the file, the line and the rule", () => {
    expect(checkFile("edge/routes/x.ts", `\n\nimport { a } from "../../jobs/x.ts"`).map(describeProblem)).toEqual([
      'edge/routes/x.ts:3: edge/ may not import jobs/: imports "../../jobs/x.ts"'
    ])
  })

  test("the tokenizer tells strings from comments, templates and regular expressions", () => {
    const tokens = tokenize("const a = `x ${`SELECT ${b}`} y` // 'no'\nconst r = /\"[/]/g; const s = 'it\\'s'")
    expect(tokens.filter((t) => t.kind === "string").map((t) => t.text)).toEqual(["SELECT ", "x  y", "it\\'s"])
    expect(sqlUsesOf(tokenize("f(`a ${g(\"INSERT INTO t VALUES (1)\")}`)")).length).toBe(1)
  })
})

// Only `effect` and relative domain files may be imported.
const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g
const allowedImport = (spec: string, file: string): boolean =>
  spec === "effect" || spec.startsWith("effect/") ||
  (spec.startsWith(".") && !relative(domainDir, join(file, "..", spec)).startsWith(".."))

const forbiddenCalls: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bDate\.now\s*\(/, "Date.now() (take time from Clock or a parameter)"],
  [/\bnew Date\s*\(\s*\)/, "new Date() without an argument (take time from Clock or a parameter)"],
  [/\bMath\.random\s*\(/, "Math.random() (take randomness from a service)"],
  [/\bprocess\./, "process.* (configuration comes in through services)"],
  [/\b(?:fetch|Bun|Deno)\b\s*[.(]/, "runtime or network API"],
  [/\bcrypto\.getRandomValues\b/, "crypto.getRandomValues (take randomness from a service)"]
]

const stripComments = (source: string): string =>
  source.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(/(^|[^:"'`])\/\/.*$/gm, "$1")

describe("domain/ purity", () => {
  const files = walk(domainDir)

  test("there are domain files to check", () => {
    expect(files.length).toBeGreaterThan(0)
  })

  for (const file of files) {
    test(relative(root, file), () => {
      const source = stripComments(readFileSync(file, "utf8"))
      const problems: Array<string> = []
      for (const m of source.matchAll(importPattern)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? ""
        if (!allowedImport(spec, file)) problems.push(`imports "${spec}"`)
      }
      source.split("\n").forEach((line, i) => {
        for (const [pattern, what] of forbiddenCalls) {
          if (pattern.test(line)) problems.push(`line ${i + 1} uses ${what}`)
        }
      })
      expect(problems).toEqual([])
    })
  }
})

describe("the purity check itself", () => {
  test("flags an I/O import and an ambient clock", () => {
    const bad = `import { readFileSync } from "node:fs"\nconst t = Date.now()\n`
    const specs = [...stripComments(bad).matchAll(importPattern)].map((m) => m[1])
    expect(specs).toEqual(["node:fs"])
    expect(allowedImport("node:fs", join(domainDir, "x.ts"))).toBe(false)
    expect(allowedImport("postgres", join(domainDir, "x.ts"))).toBe(false)
    expect(allowedImport("../store/database/db.ts", join(domainDir, "x.ts"))).toBe(false)
    expect(allowedImport("./money.ts", join(domainDir, "x.ts"))).toBe(true)
    expect(allowedImport("effect", join(domainDir, "x.ts"))).toBe(true)
    expect(forbiddenCalls.some(([p]) => p.test("const t = Date.now()"))).toBe(true)
  })
})
