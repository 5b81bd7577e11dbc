/**
 * The domain core must stay pure: no I/O modules, no ambient time or
 * randomness. This test reads every file under domain/ and fails on the first
 * forbidden import or call, naming the file and the line.
 */
import { describe, expect, test } from "bun:test"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"

const root = join(import.meta.dir, "..")
const domainDir = join(root, "domain")

const walk = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : []
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
