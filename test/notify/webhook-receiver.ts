/**
 * A webhook receiver written from docs/NOTIFICATIONS.md ("Receiving
 * bienlai's webhooks") alone: it imports nothing from bienlai and uses the
 * platform's Web Crypto, as a subscriber's own server would. It verifies
 * the signature over the raw body, refuses timestamps outside the 5-minute
 * window, and processes each webhook-id once.
 */

const WINDOW_SECONDS = 300

const base64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes))
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

/** Equal-length strings compared without stopping at the first difference. */
const sameText = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

export interface Receiver {
  readonly handle: (request: Request) => Promise<Response>
  /** The events processed, once per webhook-id, in order. */
  readonly processed: Array<{ readonly id: string; readonly payload: unknown }>
  readonly duplicates: Array<string>
  readonly refused: Array<string>
}

export const makeReceiver = (secret: string, clock: () => number = () => Date.now()): Receiver => {
  const seen = new Set<string>()
  const processed: Receiver["processed"] = []
  const duplicates: Array<string> = []
  const refused: Array<string> = []
  const keyPromise = crypto.subtle.importKey("raw", fromBase64(secret.slice("whsec_".length)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
  const refuse = (status: number, why: string) => {
    refused.push(why)
    return new Response(why, { status })
  }

  const handle = async (request: Request): Promise<Response> => {
    const id = request.headers.get("webhook-id")
    const timestamp = request.headers.get("webhook-timestamp")
    const signatures = request.headers.get("webhook-signature")
    if (!id || !timestamp || !signatures) return refuse(400, "missing headers")
    const body = new Uint8Array(await request.arrayBuffer())
    if (!/^\d+$/.test(timestamp)) return refuse(400, "bad timestamp")
    const now = Math.floor(clock() / 1000)
    if (Math.abs(now - Number(timestamp)) > WINDOW_SECONDS) return refuse(401, "outside the replay window")

    const prefix = new TextEncoder().encode(`${id}.${timestamp}.`)
    const signed = new Uint8Array(prefix.length + body.length)
    signed.set(prefix)
    signed.set(body, prefix.length)
    const expected = base64(new Uint8Array(await crypto.subtle.sign("HMAC", await keyPromise, signed)))
    const authentic = signatures.split(" ").some((entry) => entry.startsWith("v1,") && sameText(entry.slice(3), expected))
    if (!authentic) return refuse(401, "bad signature")

    if (seen.has(id)) {
      duplicates.push(id)
      return new Response(null, { status: 200 })
    }
    seen.add(id)
    processed.push({ id, payload: JSON.parse(new TextDecoder().decode(body)) })
    return new Response(null, { status: 204 })
  }
  return { handle, processed, duplicates, refused }
}
