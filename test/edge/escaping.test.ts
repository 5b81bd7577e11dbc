/**
 * Whatever anyone types into a form or stores in a receipt — a payer's
 * name and address, a reason, a correction and its note, a search box, a
 * lookup code — comes out as text, never as markup, on every page that
 * shows it: the console's draft (as stored, as read from a scan, and as
 * typed into a refused form), inbox (file names and what OCR read), approval queue, receipt, void confirmation and search, and
 * the public /v/ page and /tra-cuu (result, and a refused lookup with what
 * was typed). Generated text mixes Vietnamese words with <, >, &, both
 * quotes, a script tag, an event handler and already-escaped entities;
 * each page must hold the value escaped (& < > " ' as entities, computed
 * here independently of the edge) and none of the payloads as markup.
 * Driven through the app as `npm start` builds it (buildApp), on PGlite or,
 * with TEST_DATABASE_URL, PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import type { DocumentResult } from "../../adapters/ocr/read-document.ts"
import type { ScanReading } from "../../edge/console/scan-reading.ts"
import type { OcrWorkerDeps } from "../../jobs/ocr-worker/worker.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }
const escaped = (s: string): string => s.replace(/[&<>"']/g, (c) => entities[c] ?? c)

// What must never reach a page as markup.
const payloads = [`<script>alert("xss")</script>`, "<img src=x onerror=alert(1)>", `"><xss-probe>`, "' onmouseover='alert(1)", "&amp;", "&lt;b&gt;", "<", ">", "&", '"', "'"]
const markup = ["<script>alert", "<img src=x", "<xss-probe", "onmouseover='alert"]

const word = fc.constantFrom("Nguyễn", "Văn", "Hòa", "Lê", "Thị", "Mận", "phường", "Bến", "Thành", "12", "Q.1", "O'Brien")
const payload = fc.constantFrom(...payloads)
/** Free text with at least one payload in it, words apart by single spaces (the domain refuses leading and trailing spaces). */
const text = (maxWords: number) =>
  fc.tuple(payload, fc.array(fc.oneof(word, payload), { minLength: 0, maxLength: maxWords })).map(([p, rest]) => [p, ...rest].join(" "))
/** A name whose family name (the word the public page keeps when it masks the rest) itself carries a payload. */
const name = fc.tuple(payload, word, fc.array(fc.oneof(word, payload), { maxLength: 4 })).map(([p, w, rest]) => [`${p}${w}`, ...rest].join(" "))

const ID_NUMBER = "079085001234"
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])

describe("everything typed or stored prints escaped on every page", () => {
  let f: ConsoleFixture
  // What the OCR worker "reads" from the next scan.
  const script: Array<ScanReading> = []
  const read: NonNullable<OcrWorkerDeps["read"]> = async (_content, label) => ({ file: label, pages: 1, ...script.shift()! }) as DocumentResult
  const cookies = new Map<string, string>()
  type Who = keyof ConsoleFixture["tokens"]

  const api = async (who: Who, method: string, path: string, body?: unknown) => {
    const res = await f.app.request(`/api/officer${path}`, {
      method,
      headers: { Authorization: `Bearer ${f.tokens[who]}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const json = (await res.json()) as any
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  const cookieOf = async (who: Who) => {
    const known = cookies.get(who)
    if (known !== undefined) return known
    const r = await f.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: f.tokens[who], next: "/console" }) })
    const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!
    cookies.set(who, cookie)
    return cookie
  }
  const page = async (who: Who | null, path: string, form?: Record<string, string>) => {
    const headers: Record<string, string> = who === null ? {} : { cookie: await cookieOf(who), "sec-fetch-site": "same-origin" }
    const res = await f.app.request(path, form === undefined ? { headers } : { method: "POST", headers, body: new URLSearchParams(form) })
    expect(res.headers.get("content-type") ?? "").toContain("text/html")
    return res.text()
  }
  /** `html` shows each of `values` escaped, and no payload as markup. */
  const shows = (where: string, html: string, values: ReadonlyArray<string>) => {
    for (const v of values) {
      if (!html.includes(escaped(v))) throw new Error(`${where} does not show ${JSON.stringify(v)} escaped as ${JSON.stringify(escaped(v))}`)
    }
    for (const m of markup) {
      if (html.includes(m)) throw new Error(`${where} holds ${JSON.stringify(m)} as markup`)
    }
  }

  beforeAll(async () => {
    f = await makeConsoleFixture({ read })
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  test("names, addresses, reasons, corrections, notes and typed search and lookup text, on the console and the public pages", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: name,
          address: text(5),
          reason: text(6),
          typed: text(4),
          correctedName: name,
          correctedAddress: text(4),
          note: text(4),
          voidReason: text(4)
        }).filter((v) => v.correctedName !== v.name && v.correctedAddress !== v.address), // a correction must change something
        async (v) => {
          // Stored: a draft from the API, with every free-text field carrying payloads.
          const draft = await api("officer", "POST", "/drafts", {
            series: { form: "01-BLTHADS", symbol: "AA/25E" },
            payer: { name: v.name, idNumber: ID_NUMBER, address: v.address },
            reason: v.reason,
            amount: "1500000",
            payment: { method: "cash" }
          })
          shows("the draft", await page("officer", `/console/drafts/${draft.id}`), [v.name, v.address, v.reason])

          // Read from a scan whose file name the officer chose: the inbox lists both, the draft shows what was read.
          script.push({ documentType: "payment_slip", fields: { payerName: v.correctedName, payerAddress: v.address, reason: v.reason, amount: "1500000" }, confidence: { payerName: 0.5 }, warnings: [], ms: 1 } as unknown as ScanReading)
          const form = new FormData()
          form.append("scan", new File([png], `${v.typed}.png`, { type: "image/png" }))
          const up = await f.app.request("/console/inbox/scans", { method: "POST", body: form, headers: { cookie: await cookieOf("officer"), "sec-fetch-site": "same-origin", accept: "application/json" } })
          // (A multipart body carries a file name's double quotes as %22: the name is what the server received.)
          const job = ((await up.json()) as { jobs: Array<{ receiptId: string; fileName: string }> }).jobs[0]!
          expect(await f.ocr()).toEqual(["done"])
          shows("the inbox", await page("officer", "/console/inbox"), [job.fileName, v.correctedName])
          shows("the draft read from a scan", await page("officer", `/console/drafts/${job.receiptId}`), [v.correctedName, v.address, v.reason])
          // Typed into the draft's form and refused (the amount is not one): the form comes back with what was typed.
          const refused = await page("officer", `/console/drafts/${draft.id}`, {
            payerName: v.typed, payerIdNumber: v.typed, payerAddress: v.typed, decisionNumber: v.typed, decisionDate: v.typed,
            amount: v.typed, reason: v.typed, paymentMethod: "bank_transfer", bankReference: v.typed, office: v.typed
          })
          shows("the refused draft form", refused, [v.typed])

          const submitted = await api("officer", "POST", `/drafts/${draft.id}/submit`)
          shows("the approval queue", await page("approver", "/console/queue"), [v.name])
          const issued = await api("approver", "POST", `/drafts/${draft.id}/approve`, { contentHash: submitted.contentHash })
          const id = issued.receipt.id as string
          const code = issued.receipt.lookupCode as string

          // Corrections: the name's approved, the address's pending, each with a note.
          const byName = await api("officer", "POST", `/receipts/${id}/corrections`, { field: "payerName", value: v.correctedName, note: v.note })
          await api("approver", "POST", `/corrections/${byName.id}/approve`, { value: byName.value })
          await api("officer", "POST", `/receipts/${id}/corrections`, { field: "payerAddress", value: v.correctedAddress, note: v.note })
          shows("the receipt", await page("approver", `/console/receipts/${id}`), [v.name, v.address, v.reason, v.correctedName, v.correctedAddress, v.note])
          shows("the void confirmation", await page("approver", `/console/receipts/${id}/void`, { reason: v.voidReason }), [v.voidReason])
          shows("the search results", await page("officer", `/console/search?lookupCode=${code}`), [v.name])
          shows("the search form", await page("officer", `/console/search?${new URLSearchParams({ name: v.typed, decisionNumber: v.typed })}`), [v.typed])

          // Public: the QR's page masks the names (the family name stays, with its payload), the lookup shows all with the identity number.
          const verified = (await (await f.app.request(`/api/verify/${new URL(issued.url).pathname.slice(3)}`)).json()) as any
          const masked = verified.receipt.maskedName as string
          shows("the /v/ page", await page(null, new URL(issued.url).pathname), [masked])
          shows("the lookup result", await page(null, "/tra-cuu", { code, idNumber: ID_NUMBER }), [v.name, v.address, v.reason, v.correctedName])
          shows("a refused lookup", await page(null, "/tra-cuu", { code: v.typed, idNumber: v.typed }), [v.typed])
        }
      ),
      { numRuns: 25 }
    )
  }, 120_000)
})
