/**
 * The browser of the browser tests: Debian's chromium where it is installed,
 * otherwise the Chromium that the npm package @sparticuz/chromium ships (so a
 * fresh clone needs only `npm ci`). A missing browser is an error that says how
 * to get one, never a skip: a browser test that quietly does not run proves
 * nothing.
 *
 *   const browser = await launchBrowser()
 *   const context = await launchPersistentBrowser(profileDir, { viewport: … })
 *
 * And the setup the browser tests share: the app served on a port as `npm
 * start` serves it, an officer's console window or a citizen's phone, and
 * signing in to the console.
 *
 *   const session = await consoleInBrowser(f.app, "payout")   // or phoneInBrowser(h.app)
 *   await signInToConsole(session.page, session.base, f.tokens.officer)
 *   …
 *   await session.close()
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Browser, type BrowserContext, chromium, type LaunchOptions, type Page } from "playwright-core"
import { BUN_IDLE_TIMEOUT_SECONDS } from "../../edge/program/hosts/bun.ts"

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

export interface FoundBrowser {
  readonly executablePath: string
  readonly source: "debian" | "npm"
}

export class NoBrowserError extends Error {
  constructor(detail: string) {
    super(
      `no browser for the browser tests: ${detail}. ` +
        `Run \`npm ci\` (it installs @sparticuz/chromium, whose Chromium is used when ${DEBIAN_CHROMIUM} is absent), ` +
        "or install Debian's chromium (apt-get install chromium)."
    )
    this.name = "NoBrowserError"
  }
}

let found: Promise<FoundBrowser> | undefined

/** The browser to launch, found once per process. */
export const findBrowser = (): Promise<FoundBrowser> => (found ??= locateBrowser())

interface NpmChromium {
  executablePath(): Promise<string>
}

/** Debian's browser if `debian` exists, else the npm package's; the parameters are there for tests. */
export const locateBrowser = async (
  debian: string = DEBIAN_CHROMIUM,
  loadPackage: () => Promise<NpmChromium> = async () => (await import("@sparticuz/chromium")).default
): Promise<FoundBrowser> => {
  if (existsSync(debian)) return { executablePath: debian, source: "debian" }
  let Chromium: NpmChromium
  try {
    Chromium = await loadPackage()
  } catch (error) {
    throw new NoBrowserError(`${debian} is not installed and @sparticuz/chromium cannot be loaded (${(error as Error).message})`)
  }
  // The package unpacks its Chromium into the temporary folder on first use.
  // Test processes started side by side would unpack over each other, and one
  // would launch a half-written file: one unpacks, the others wait.
  const executablePath = await withLock(join(tmpdir(), "bienlai-chromium.lock"), () => Chromium.executablePath())
  if (!existsSync(executablePath)) throw new NoBrowserError(`@sparticuz/chromium did not unpack its browser to ${executablePath}`)
  return { executablePath, source: "npm" }
}

const withLock = async <A>(lock: string, body: () => Promise<A>): Promise<A> => {
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
      // A lock older than two minutes belongs to a process that died while unpacking.
      const age = Date.now() - statSafe(lock)
      if (age > 120_000) rmSync(lock, { recursive: true, force: true })
      else if (Date.now() > deadline) throw new NoBrowserError(`another process holds ${lock} for too long`)
      else await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    return await body()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

const statSafe = (path: string): number => {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}

/** A headless browser for the tests. */
export const launchBrowser = async (options: LaunchOptions = {}): Promise<Browser> => {
  const { executablePath } = await findBrowser()
  return chromium.launch({ ...options, executablePath, args: [...BROWSER_ARGS, ...(options.args ?? [])] })
}

type PersistentOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>

/** A headless browser with its own profile folder (cookies, downloads), as a person's would be. */
export const launchPersistentBrowser = async (profile: string, options: PersistentOptions = {}): Promise<BrowserContext> => {
  const { executablePath } = await findBrowser()
  return chromium.launchPersistentContext(profile, { ...options, executablePath, args: [...BROWSER_ARGS, ...(options.args ?? [])] })
}

/** What serves requests: the app as `npm start` builds it (buildApp through a fixture or harness). */
export interface FetchesRequests {
  readonly fetch: (request: Request) => Response | Promise<Response>
}

export interface ServedApp {
  readonly server: ReturnType<typeof Bun.serve>
  /** http://127.0.0.1:PORT, for page.goto and fetch. */
  readonly base: string
}

/** The app on a free port, as `npm start` serves it on Bun (its idle limit included: edge/program/hosts/bun.ts). */
export const serveApp = (app: FetchesRequests): ServedApp => {
  const server = Bun.serve({ port: 0, idleTimeout: BUN_IDLE_TIMEOUT_SECONDS, fetch: (request) => app.fetch(request) })
  return { server, base: `http://127.0.0.1:${server.port}` }
}

export interface BrowserWindow {
  readonly context: BrowserContext
  readonly page: Page
  /** Closes the browser and removes its profile folder. */
  readonly close: () => Promise<void>
}

/**
 * An officer's console window: a browser with a fresh profile of its own
 * (cookies, downloads), 1366×768, Vietnamese. `name` names the profile folder.
 */
export const openConsoleWindow = async (name: string, options: PersistentOptions = {}): Promise<BrowserWindow> => {
  const profile = mkdtempSync(join(tmpdir(), `bienlai-${name}-chromium-`))
  let context: BrowserContext
  try {
    context = await launchPersistentBrowser(profile, {
      viewport: { width: 1366, height: 768 },
      locale: "vi-VN",
      ...options,
      args: ["--disable-quic", ...(options.args ?? [])]
    })
  } catch (error) {
    rmSync(profile, { recursive: true, force: true })
    throw error
  }
  const page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(15_000)
  return {
    context,
    page,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

export interface PhoneWindow {
  readonly browser: Browser
  readonly page: Page
  readonly close: () => Promise<void>
}

/** A citizen's phone: a phone-sized screen (390×844), Vietnamese. */
export const openPhoneWindow = async (): Promise<PhoneWindow> => {
  const browser = await launchBrowser()
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "vi-VN" })
  return { browser, page, close: () => browser.close() }
}

/**
 * Signs in to the console as an officer does, with no session left over from
 * the last officer: the token typed into the sign-in form, then the button
 * clicked or (`"keyboard"`) from the keyboard alone — the token box takes the
 * focus, Enter signs in. Resolves once the console's main menu shows.
 */
export const signInToConsole = async (page: Page, base: string, token: string, by: "button" | "keyboard" = "button"): Promise<void> => {
  await page.context().clearCookies()
  await page.goto(`${base}/console/sign-in?lang=vi`)
  if (by === "keyboard") {
    await page.waitForFunction(() => document.activeElement?.id === "token")
    await page.keyboard.type(token)
    await page.keyboard.press("Enter")
  } else {
    await page.fill("#token", token)
    await page.click("#sign-in-form button[type=submit]")
  }
  await page.waitForSelector("nav[aria-label=main]")
}

export interface BrowserSession {
  /** Where the app is served, for page.goto and fetch. */
  readonly base: string
  readonly page: Page
  /** Closes the browser, then stops serving. */
  readonly close: () => Promise<void>
}

const inBrowser = async (app: FetchesRequests, open: () => Promise<{ readonly page: Page; readonly close: () => Promise<void> }>): Promise<BrowserSession> => {
  const served = serveApp(app)
  let opened: Awaited<ReturnType<typeof open>>
  try {
    opened = await open()
  } catch (error) {
    served.server.stop(true)
    throw error
  }
  return {
    base: served.base,
    page: opened.page,
    close: async () => {
      await opened.close()
      served.server.stop(true)
    }
  }
}

/** The app served as `npm start` serves it, and an officer's console window on it (openConsoleWindow). */
export const consoleInBrowser = (app: FetchesRequests, name: string, options: PersistentOptions = {}): Promise<BrowserSession> =>
  inBrowser(app, () => openConsoleWindow(name, options))

/** The app served as `npm start` serves it, and a citizen's phone on it (openPhoneWindow). */
export const phoneInBrowser = (app: FetchesRequests): Promise<BrowserSession> => inBrowser(app, openPhoneWindow)
