/** The edge on Bun: Bun.serve, with the server as the handler's env for `getConnInfo`. */
import { getConnInfo } from "hono/bun"
import type { Host } from "./host.ts"

/**
 * How long Bun keeps a connection on which nothing moves: its default, 10 s, cut off requests the
 * officers make that legitimately take longer on a busy machine (matching a month's statement,
 * exporting a round, a year's report), and the browser saw the connection drop. Node's server
 * allows 300 s for a request and Deno's none; 120 s (Bun allows up to 255) keeps a slow client
 * from holding a connection for long while letting the app's own long answers through.
 */
export const BUN_IDLE_TIMEOUT_SECONDS = 120

export const bunHost: Host = {
  env: () => process.env,
  listen: async (fetch, at) => {
    const server = Bun.serve({ port: at.port, hostname: at.hostname, idleTimeout: BUN_IDLE_TIMEOUT_SECONDS, fetch: (request, srv) => fetch(request, srv) })
    return { stop: () => server.stop() }
  },
  clientAddress: (c) => getConnInfo(c).remote.address,
  onSignal: (signal, handler) => void process.on(signal, handler),
  exit: (code) => process.exit(code)
}
