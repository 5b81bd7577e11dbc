/**
 * The import table of docs/ARCHITECTURE.md as code, and the check of one
 * file against it: which folders a file may import from, which packages,
 * and that nothing outside store/ runs SQL. test/architecture.test.ts runs
 * it over the repository; keep the two and the table in the document equal.
 */
import { posix } from "node:path"
import { lineAt, type Token, tokenize } from "./ts-tokens.ts"

export const layers = ["domain", "store", "adapters", "edge", "jobs", "bench", "test"] as const
export type Layer = (typeof layers)[number]

/** The one edge file a job may import: it boots and serves the app for the start files (jobs/bin/start*.ts) and names what their background jobs need. */
export const edgeEntry = "edge/main.ts"

/** Files outside the layer folders that code may read: the version in package.json (`bienlai version`, the edge's banner). */
export const rootFiles: ReadonlySet<string> = new Set(["package.json"])

/** Which folders each layer may import from (relative imports). */
export const mayImportFolders: Record<Layer, ReadonlyArray<Layer>> = {
  domain: ["domain"],
  store: ["domain", "store"],
  adapters: ["domain", "adapters"],
  edge: ["domain", "store", "adapters", "edge"],
  jobs: ["domain", "store", "adapters", "jobs"],
  bench: layers,
  test: layers
}

const packageName = (spec: string): string => {
  const parts = spec.split("/")
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string)
}

/** Which packages each layer may import; undefined: any (libraries and the runtime's modules). */
export const mayImportPackages: Record<Layer, ((spec: string) => boolean) | undefined> = {
  domain: (spec) => packageName(spec) === "effect",
  // The database drivers; node: modules for reading migration files and streaming COPY.
  store: (spec) => ["effect", "postgres", "@electric-sql/pglite"].includes(packageName(spec)) || spec.startsWith("node:"),
  adapters: undefined,
  edge: undefined,
  jobs: undefined,
  bench: undefined,
  test: undefined
}

/** Layers that may run SQL: the store, and tests and benchmarks (setting up, measuring a baseline). */
export const mayRunSql: ReadonlySet<Layer> = new Set(["store", "test", "bench"])

/** Tables that one store folder owns: no other file names them in SQL. */
export const tableOwners: ReadonlyArray<{ readonly table: string; readonly folder: string }> = [{ table: "uploads", folder: "store/scans/" }]

const namesTable = (text: string, table: string): boolean => new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE)\\s+${table}\\b`, "i").test(text)

export interface Problem {
  readonly file: string
  readonly line: number
  readonly rule: string
  readonly what: string
}

export const describeProblem = (p: Problem): string => `${p.file}:${p.line}: ${p.rule}: ${p.what}`

export const layerOf = (file: string): Layer | undefined => layers.find((l) => file.startsWith(`${l}/`))

export interface Import {
  readonly spec: string
  readonly pos: number
}

/** Every module a file names: `import … from`, `export … from`, `import "x"`, `import("x")`, `require("x")`. */
export const importsOf = (tokens: ReadonlyArray<Token>): Array<Import> => {
  const found: Array<Import> = []
  tokens.forEach((t, k) => {
    if (t.kind !== "string" || t.template) return
    const before = tokens[k - 1]
    const twoBefore = tokens[k - 2]
    const isFrom = before?.kind === "word" && before.text === "from" && tokens[k - 2]?.text !== "."
    const isBareImport = before?.kind === "word" && before.text === "import"
    const isCall = before?.kind === "punct" && before.text === "(" && twoBefore?.kind === "word" &&
      (twoBefore.text === "import" || twoBefore.text === "require") && tokens[k - 3]?.text !== "."
    if (isFrom || isBareImport || isCall) found.push({ spec: t.text, pos: t.pos })
  })
  return found
}

const sqlStart = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|COPY)\s+\S/

/** Where a file runs SQL: a `sql` tagged template, `.unsafe(`, `.query(` or `.copyIn(` on a database, an SQL statement in a string. */
export const sqlUsesOf = (tokens: ReadonlyArray<Token>): Array<{ readonly pos: number; readonly what: string }> => {
  const found: Array<{ pos: number; what: string }> = []
  tokens.forEach((t, k) => {
    const before = tokens[k - 1]
    if (t.kind === "string") {
      if (t.template && before?.kind === "word" && before.text === "sql") found.push({ pos: before.pos, what: "a sql`…` tagged template" })
      else if (sqlStart.test(t.text)) found.push({ pos: t.pos, what: `an SQL statement in a string ("${t.text.trim().slice(0, 30)}…")` })
      return
    }
    if (t.kind !== "word" || before?.text !== ".") return
    const after = tokens[k + 1]?.text
    const called = after === "(" || after === "<"
    if (!called) return
    // Hono's c.req.query("name") reads a query parameter, not a database.
    if (t.text === "query" && tokens[k - 2]?.text !== "req") found.push({ pos: t.pos, what: ".query( on a database" })
    if (t.text === "unsafe") found.push({ pos: t.pos, what: ".unsafe( (raw SQL)" })
    if (t.text === "copyIn") found.push({ pos: t.pos, what: ".copyIn( (COPY into a table)" })
  })
  return found
}

/** Checks one file (its path relative to the repository, with "/") against the table. */
export const checkFile = (file: string, source: string): Array<Problem> => {
  const layer = layerOf(file)
  if (layer === undefined) return []
  const tokens = tokenize(source)
  const problems: Array<Problem> = []
  for (const imp of importsOf(tokens)) {
    const line = lineAt(source, imp.pos)
    if (imp.spec.startsWith(".")) {
      const target = posix.normalize(posix.join(posix.dirname(file), imp.spec))
      const targetLayer = layerOf(target)
      const allowed = targetLayer === undefined
        ? rootFiles.has(target) && layer !== "domain" && layer !== "store"
        : mayImportFolders[layer].includes(targetLayer) || (layer === "jobs" && target === edgeEntry)
      if (!allowed) {
        const rule = targetLayer === undefined
          ? `${layer}/ imports only from the layer folders${layer === "domain" || layer === "store" ? "" : " (and package.json)"}`
          : layer === "jobs" && targetLayer === "edge"
          ? `jobs/ imports the edge only through ${edgeEntry}`
          : `${layer}/ may not import ${targetLayer}/`
        problems.push({ file, line, rule, what: `imports "${imp.spec}"` })
      }
    } else {
      const allowed = mayImportPackages[layer]
      if (allowed !== undefined && !allowed(imp.spec)) {
        problems.push({ file, line, rule: `${layer}/ may not import the package "${packageName(imp.spec)}"`, what: `imports "${imp.spec}"` })
      }
    }
  }
  if (layer === "store") {
    for (const t of tokens) {
      if (t.kind !== "string") continue
      for (const owner of tableOwners) {
        if (!file.startsWith(owner.folder) && namesTable(t.text, owner.table)) {
          problems.push({ file, line: lineAt(source, t.pos), rule: `only ${owner.folder} touches the ${owner.table} table`, what: `SQL naming ${owner.table}` })
        }
      }
    }
  }
  if (!mayRunSql.has(layer)) {
    for (const use of sqlUsesOf(tokens)) {
      problems.push({ file, line: lineAt(source, use.pos), rule: "only store/ runs SQL", what: use.what })
    }
  }
  return problems
}
