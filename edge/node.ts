/**
 * The edge on Node: `npm run start:node` (Node runs the TypeScript through
 * tsx; Node 22.6+ could strip the types itself). Same app, same settings
 * as on Bun (edge/boot.ts); @hono/node-server adapts Node's http server to
 * the app's fetch handler.
 */
import { serve } from "@hono/node-server"
import type { IncomingMessage } from "node:http"
import { bootFromEnv } from "./boot.ts"
import { listenHostname } from "./listen-address.ts"
import { startFailureLine } from "./start-failure.ts"

const fail = (e: unknown): never => {
  console.error(startFailureLine(e, process.env))
  process.exit(1)
}
const booted = await bootFromEnv(process.env, {
  clientAddress: (_request, env) => (env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress
}).catch(fail)
const server = serve({ fetch: booted.app.fetch, port: booted.port, hostname: listenHostname(process.env) }, () => {
  for (const line of booted.banner) console.log(line)
})
server.once("error", fail)
let stopping = false
const stop = (signal: string) => {
  if (stopping) return
  stopping = true
  console.error(`\n${signal}: stopping bienlai edge...`)
  server.close(() => {
    void booted.close().then(() => process.exit(0))
  })
}
process.on("SIGINT", () => stop("SIGINT"))
process.on("SIGTERM", () => stop("SIGTERM"))
