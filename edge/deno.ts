/**
 * The edge on Deno:
 *
 *   deno run --allow-net --allow-env --allow-read --allow-write --allow-ffi --allow-sys edge/deno.ts
 *
 * (`--allow-ffi` for sharp, which reads QR photos). Deno reads the npm
 * dependencies from node_modules (`npm ci` first, with
 * nodeModulesDir "manual" in a deno.json at the root, see docs/EDGE.md). Same app, same settings as on Bun (edge/boot.ts).
 */
import { bootFromEnv } from "./boot.ts"

declare const Deno: {
  readonly env: { toObject: () => Record<string, string> }
  readonly serve: (
    options: { port: number; onListen?: () => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>
  ) => { shutdown: () => Promise<void> }
  readonly addSignalListener: (signal: "SIGINT" | "SIGTERM", handler: () => void) => void
  readonly exit: (code: number) => never
}

const booted = await bootFromEnv(Deno.env.toObject(), {
  clientAddress: (_request, env) => (env as { remoteAddr?: { hostname: string } } | undefined)?.remoteAddr?.hostname
})
const server = Deno.serve({ port: booted.port, onListen: () => booted.banner.forEach((line) => console.log(line)) }, (request, info) =>
  booted.app.fetch(request, info))
const stop = async () => {
  await server.shutdown()
  await booted.close()
  Deno.exit(0)
}
Deno.addSignalListener("SIGINT", () => void stop())
Deno.addSignalListener("SIGTERM", () => void stop())
