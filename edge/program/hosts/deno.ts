/**
 * The edge on Deno. Without `--allow-ffi` sharp's native addon (QR photos)
 * does not load, and without `--allow-sys` neither does pino, which reads
 * os.hostname(). Deno takes the npm dependencies from node_modules (`npm ci`
 * first; `"nodeModulesDir": "manual"` in deno.json), so it runs the very
 * packages Bun and Node run, Deno itself included (the deno devDependency).
 */
import { getConnInfo } from "hono/deno"
import type { Host } from "./host.ts"

// The few Deno APIs used here, declared so that tsc checks this file without Deno's own types.
declare const Deno: {
  readonly env: { toObject: () => Record<string, string> }
  readonly serve: (
    options: { port: number; hostname?: string; onListen?: () => void; onError?: (e: unknown) => Response },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>
  ) => { shutdown: () => Promise<void> }
  readonly addSignalListener: (signal: "SIGINT" | "SIGTERM", handler: () => void) => void
  readonly exit: (code: number) => never
}

export const denoHost: Host = {
  env: () => Deno.env.toObject(),
  listen: (fetch, at) =>
    new Promise((resolve, reject) => {
      try {
        const server = Deno.serve({ port: at.port, hostname: at.hostname, onListen: () => resolve({ stop: () => server.shutdown() }) }, (request, info) =>
          fetch(request, info))
      } catch (e) {
        reject(e)
      }
    }),
  clientAddress: (c) => getConnInfo(c).remote.address,
  onSignal: (signal, handler) => Deno.addSignalListener(signal, handler),
  exit: (code) => Deno.exit(code)
}
