/**
 * The edge on Node (through tsx; Node 22.6+ could strip the types itself):
 * @hono/node-server adapts Node's http server to the app's fetch handler.
 */
import { serve } from "@hono/node-server"
import { getConnInfo } from "@hono/node-server/conninfo"
import type { Host } from "./host.ts"

export const nodeHost: Host = {
  env: () => process.env,
  listen: (fetch, at) =>
    new Promise((resolve, reject) => {
      const server = serve({ fetch, port: at.port, hostname: at.hostname }, () => {
        server.off("error", reject)
        resolve({ stop: () => new Promise<void>((done) => server.close(() => done())) })
      })
      server.once("error", reject)
    }),
  clientAddress: (c) => getConnInfo(c).remote.address,
  onSignal: (signal, handler) => void process.on(signal, handler),
  exit: (code) => process.exit(code)
}
