/**
 * The Bun host as `npm start` serves the app (edge/program/hosts/bun.ts): an
 * answer that takes longer than Bun's default 10 s idle limit (matching a
 * month's statement on a busy machine) reaches a browser instead of a
 * dropped connection. The request goes over a plain socket, as a browser
 * sends it (Bun's own fetch client is not cut off by the limit).
 */
import { expect, test } from "bun:test"
import { BUN_IDLE_TIMEOUT_SECONDS, bunHost } from "../../edge/program/hosts/bun.ts"

const freePort = (): number => {
  const probe = Bun.serve({ port: 0, fetch: () => new Response("") })
  const port = probe.port as number
  probe.stop(true)
  return port
}

/** What a browser-like HTTP/1.1 client receives before the server answers or closes. */
const rawGet = (port: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let received = ""
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        data: (socket, chunk) => {
          received += new TextDecoder().decode(chunk)
          if (received.includes("matched")) {
            socket.end()
            resolve(received)
          }
        },
        close: () => resolve(received),
        error: (_socket, error) => reject(error)
      }
    }).then((socket) => socket.write("GET /run HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"), reject)
  })

test("an answer that takes 20 s is delivered, not cut at Bun's default 10 s", async () => {
  expect(BUN_IDLE_TIMEOUT_SECONDS).toBeGreaterThan(10)
  const port = freePort()
  const served = await bunHost.listen(async () => {
    // Bun checks its idle limit on a coarse timer: 10 s trips somewhere before 20 s.
    await Bun.sleep(20_000)
    return new Response("matched")
  }, { port, hostname: "127.0.0.1" })
  try {
    const answer = await rawGet(port)
    expect(answer.startsWith("HTTP/1.1 200")).toBe(true)
    expect(answer).toContain("matched")
  } finally {
    await served.stop()
  }
}, 40_000)
