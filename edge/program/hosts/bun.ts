/** The edge on Bun: Bun.serve, with the server as the handler's env for `getConnInfo`. */
import { getConnInfo } from "hono/bun"
import type { Host } from "./host.ts"

export const bunHost: Host = {
  env: () => process.env,
  listen: async (fetch, at) => {
    const server = Bun.serve({ port: at.port, hostname: at.hostname, fetch: (request, srv) => fetch(request, srv) })
    return { stop: () => server.stop() }
  },
  clientAddress: (c) => getConnInfo(c).remote.address,
  onSignal: (signal, handler) => void process.on(signal, handler),
  exit: (code) => process.exit(code)
}
