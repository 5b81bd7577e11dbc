/**
 * The edge on Bun: `bun edge/bun.ts` (what `npm start` runs through
 * jobs/bin/start.ts). Ctrl-C or SIGTERM stops accepting, lets requests in
 * flight finish, and closes the database.
 */
import type { Server } from "bun"
import { bootFromEnv } from "./boot.ts"
import { listenHostname } from "./listen-address.ts"
import { startFailureLine } from "./start-failure.ts"

// The one edge entry a job may import (test/architecture.test.ts): `npm start` needs the failure line too.
export { startFailureLine }

export const startOnBun = async (env: Record<string, string | undefined> = process.env) => {
  const booted = await bootFromEnv(env, {
    clientAddress: (request, server) => (server as Server<unknown> | undefined)?.requestIP(request)?.address
  })
  const server = Bun.serve({ port: booted.port, hostname: listenHostname(env), fetch: (request, srv) => booted.app.fetch(request, srv) })
  for (const line of booted.banner) console.log(line)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.error(`\n${signal}: stopping bienlai edge...`)
    await server.stop()
    await booted.close()
    process.exit(0)
  }
  process.on("SIGINT", () => void stop("SIGINT"))
  process.on("SIGTERM", () => void stop("SIGTERM"))
  return { server, booted }
}

if (import.meta.main) {
  try {
    await startOnBun()
  } catch (e) {
    console.error(startFailureLine(e, process.env))
    process.exit(1)
  }
}
