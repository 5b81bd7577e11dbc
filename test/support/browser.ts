/**
 * The browser of the browser tests. A minimal launcher with the interface of
 * the one h4-fresh is adding (Debian's chromium, else the Chromium of the npm
 * package @sparticuz/chromium); the lead keeps that one at merge. This one
 * launches `BIENLAI_CHROMIUM` or Debian's chromium, and fails (never skips)
 * when there is neither: a browser test that quietly does not run proves
 * nothing.
 */
import { existsSync } from "node:fs"
import { type Browser, type BrowserContext, chromium, type LaunchOptions } from "playwright-core"

/** Where Debian's `chromium` package puts the browser. */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium"

/** Flags every test browser gets: no sandbox (tests run as root in CI), no GPU, no traffic of its own. */
export const BROWSER_ARGS: ReadonlyArray<string> = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run"
]

export class NoBrowserError extends Error {
  constructor(detail: string) {
    super(`no browser for the browser tests: ${detail}. Set BIENLAI_CHROMIUM to a Chromium executable, or install Debian's chromium.`)
    this.name = "NoBrowserError"
  }
}

const executablePath = (): string => {
  const fromEnv = process.env["BIENLAI_CHROMIUM"]
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!existsSync(fromEnv)) throw new NoBrowserError(`BIENLAI_CHROMIUM=${fromEnv} does not exist`)
    return fromEnv
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM
  throw new NoBrowserError(`${DEBIAN_CHROMIUM} is not installed`)
}

/** A headless browser for the tests. */
export const launchBrowser = async (options: LaunchOptions = {}): Promise<Browser> =>
  chromium.launch({ ...options, executablePath: executablePath(), args: [...BROWSER_ARGS, ...(options.args ?? [])] })

type PersistentOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>

/** A headless browser with its own profile folder (cookies, downloads), as a person's would be. */
export const launchPersistentBrowser = async (profile: string, options: PersistentOptions = {}): Promise<BrowserContext> =>
  chromium.launchPersistentContext(profile, { ...options, executablePath: executablePath(), args: [...BROWSER_ARGS, ...(options.args ?? [])] })
