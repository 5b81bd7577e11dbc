/**
 * The console as `npm start` serves it (buildApp, the console mounted by
 * it), checked over HTTP without a browser: the page's Content-Security-
 * Policy is the console's own and lets its stylesheet and script load (the
 * app-wide page headers once replaced it with `default-src 'none'`, so every
 * console page was unstyled and script-less), the assets answer with their
 * types, and the scan inbox uploads with script turned off.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { type ConsoleFixture, makeConsoleFixture } from "./fixture.ts"

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])

/** The sources a CSP allows for `directive`, with default-src as the fallback (CSP Level 3, §6.1). */
export const allowedSources = (policy: string, directive: string): ReadonlyArray<string> | undefined => {
  const directives = new Map(
    policy.split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0] !== undefined && d[0] !== "").map((d) => [d[0]!.toLowerCase(), d.slice(1)])
  )
  const fallback: Record<string, string> = { "script-src-elem": "script-src", "style-src-elem": "style-src" }
  return directives.get(directive) ?? (fallback[directive] === undefined ? undefined : directives.get(fallback[directive]!)) ?? directives.get("default-src")
}

const allowsSelf = (policy: string, directive: string): boolean => (allowedSources(policy, directive) ?? []).includes("'self'")

describe("the console as shipped", () => {
  let f: ConsoleFixture
  let cookie = ""

  beforeAll(async () => {
    f = await makeConsoleFixture({ read: async () => Promise.reject(new Error("not read in this test")) })
    const r = await f.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: f.tokens.officer, next: "/console/inbox" }) })
    cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  test("the policy parser reads directives and falls back to default-src", () => {
    expect(allowedSources("default-src 'none'; style-src 'unsafe-inline'", "style-src-elem")).toEqual(["'unsafe-inline'"])
    expect(allowedSources("default-src 'none'; style-src 'unsafe-inline'", "script-src-elem")).toEqual(["'none'"])
    expect(allowsSelf("default-src 'self'; img-src data:", "script-src-elem")).toBe(true)
    expect(allowsSelf("default-src 'none'; style-src 'unsafe-inline'", "style-src-elem")).toBe(false)
  })

  test("every console page carries the console's own policy, which lets console.css and console.js load", async () => {
    const pages = [
      await f.app.request("/console/sign-in"),
      await f.app.request("/console/inbox", { headers: { cookie } }),
      await f.app.request("/console/queue", { headers: { cookie } }),
      await f.app.request("/console/no-such-page", { headers: { cookie } })
    ]
    for (const page of pages) {
      expect(page.headers.get("content-type")).toContain("text/html")
      const policy = page.headers.get("content-security-policy") ?? ""
      const html = await page.text()
      expect(html).toContain('<link rel="stylesheet" href="/console/assets/console.css">')
      expect(html).toContain('<script src="/console/assets/console.js" defer></script>')
      // The stylesheet and the script are same-origin files: the policy must allow 'self' for both.
      expect(allowsSelf(policy, "style-src-elem")).toBe(true)
      expect(allowsSelf(policy, "script-src-elem")).toBe(true)
      // Still strict: no other origin, no framing, forms only back here.
      expect(policy).toContain("frame-ancestors 'none'")
      expect(policy).toContain("form-action 'self'")
      expect(policy).not.toContain("*")
      expect(page.headers.get("x-frame-options")).toBe("DENY")
      expect(page.headers.get("x-content-type-options")).toBe("nosniff")
    }
  })

  test("the public pages keep the strict page-wide policy", async () => {
    const page = await f.app.request("/tra-cuu")
    const policy = page.headers.get("content-security-policy") ?? ""
    expect(allowedSources(policy, "script-src-elem")).toEqual(["'none'"])
  })

  test("the console's stylesheet and script answer 200 with their types", async () => {
    const css = await f.app.request("/console/assets/console.css")
    expect(css.status).toBe(200)
    expect(css.headers.get("content-type")).toStartWith("text/css")
    expect(await css.text()).toContain(".dropzone")
    const js = await f.app.request("/console/assets/console.js")
    expect(js.status).toBe(200)
    expect(js.headers.get("content-type")).toStartWith("text/javascript")
    expect(await js.text()).toContain("/console/inbox/scans")
  })

  test("the scan inbox has a submit button that works without script", async () => {
    const html = await (await f.app.request("/console/inbox", { headers: { cookie } })).text()
    const form = /<form class="dropzone"[^>]*>([\s\S]*?)<\/form>/.exec(html)
    expect(form).not.toBeNull()
    const inside = form![1]!
    expect(form![0]).toContain('method="post" action="/console/inbox/scans" enctype="multipart/form-data"')
    expect(inside).toMatch(/<button type="submit" id="upload-button">Tải lên<\/button>/)
    // Not hidden from browsers that run no script.
    expect(inside).not.toContain("<noscript>")

    // What a browser without script sends when the button is pressed: the form, no Accept: JSON.
    const body = new FormData()
    body.append("scan", new File([png], "giay-nop-tien.png", { type: "image/png" }))
    const posted = await f.app.request("/console/inbox/scans", { method: "POST", body, headers: { cookie, "sec-fetch-site": "same-origin" } })
    expect(posted.status).toBe(303)
    expect(posted.headers.get("location")).toBe("/console/inbox")
    const after = await (await f.app.request("/console/inbox", { headers: { cookie } })).text()
    expect(after).toMatch(/<tr data-job="[0-9a-f-]{36}" data-status="queued"><td>giay-nop-tien\.png<\/td>/)
  })
})
