/**
 * Nothing waits for what is not there: without the Vietnamese data the OCR
 * pool and `bienlai extract` fail at once with a message naming what is
 * missing and how to get it (tesseract.js is never left to try a download).
 */
import { describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { LanguageDataMissing } from "../../adapters/ocr/errors.ts"
import { findLanguageData, languageDataHelp, npmDataSets } from "../../adapters/ocr/lang-data.ts"
import { createOcrPool } from "../../adapters/ocr/pool.ts"

const root = join(import.meta.dir, "..", "..")

describe("missing OCR data", () => {
  test("an OCR_LANG_PATH without the data fails at once, naming the folder and how to get the data", async () => {
    const started = performance.now()
    const failure = await createOcrPool({ size: 1, env: { OCR_LANG_PATH: "/nonexistent/tessdata" } }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(LanguageDataMissing)
    expect((failure as LanguageDataMissing).message).toContain("/nonexistent/tessdata")
    expect((failure as LanguageDataMissing).message).toContain("npm ci")
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  test("without the npm package and without system data, the search says where it looked", () => {
    const search = findLanguageData({ TESSDATA_PREFIX: "/nonexistent/prefix" }, null)
    // Debian's folders are looked at too; on a machine that has tesseract-ocr-vie the data is found there.
    if (search.found === undefined) {
      const help = languageDataHelp(search)
      expect(help).toContain("@tesseract.js-data/vie (not installed)")
      expect(help).toContain("/nonexistent/prefix")
      expect(help).toContain("/usr/share/tesseract-ocr/5/tessdata")
    } else expect(search.found.source).toBe("system")
  })

  test("OCR_DATA picks one of the npm package's data sets; an unknown one is named", () => {
    for (const [name, folder] of Object.entries(npmDataSets)) {
      expect(findLanguageData({ OCR_DATA: name }).found?.langPath).toEndWith(join("vie", folder))
    }
    const search = findLanguageData({ OCR_DATA: "turbo" })
    expect(search.found).toBeUndefined()
    expect(languageDataHelp(search)).toContain("OCR_DATA=turbo is not one of best_int, standard")
  })

  test("a damaged data file fails at once instead of hanging", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienlai-tessdata-"))
    writeFileSync(join(dir, "vie.traineddata"), "not a model")
    const started = performance.now()
    const failure = await createOcrPool({ size: 1, env: { OCR_LANG_PATH: dir } }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(LanguageDataMissing)
    expect((failure as Error).message).toBe(
      `${join(dir, "vie.traineddata")} is not a tesseract data file. Run \`npm ci\` to reinstall @tesseract.js-data/vie, or set OCR_LANG_PATH to a folder holding a good vie.traineddata.`
    )
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  test("bienlai extract without the data exits 1 at once with one clear line", () => {
    const started = performance.now()
    const run = spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), "extract", join(root, "README.md")], {
      encoding: "utf8",
      env: { ...process.env, OCR_LANG_PATH: "/nonexistent/tessdata" },
      timeout: 20_000
    })
    expect(run.status).toBe(1)
    expect(run.stderr.trim().split("\n")).toHaveLength(1)
    expect(run.stderr).toContain("bienlai extract: Vietnamese OCR data (vie.traineddata) was not found in /nonexistent/tessdata")
    expect(performance.now() - started).toBeLessThan(10_000)
  }, 30_000)
})
