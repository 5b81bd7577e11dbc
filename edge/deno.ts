/**
 * The edge on Deno: `npm run start:deno` or `deno task start` (deno.json),
 * both of which run
 *
 *   deno run --allow-net --allow-env --allow-read --allow-write --allow-ffi --allow-sys edge/deno.ts
 *
 * Without `--allow-ffi` sharp's native addon (QR photos) does not load, and
 * without `--allow-sys` neither does pino, which reads os.hostname(). Deno
 * takes the npm dependencies from node_modules (`npm ci` first;
 * `"nodeModulesDir": "manual"` in deno.json), so it runs the very packages
 * Bun and Node run, Deno itself included (the deno devDependency). Same
 * app, same settings as on Bun (edge/boot.ts). Ctrl-C or SIGTERM stops
 * accepting, lets requests in flight finish, and closes the database.
 */
import { bootFromEnv } from "./boot.ts"
import { listenHostname } from "./listen-address.ts"
import { startFailureLine } from "./start-failure.ts"

// The few Deno APIs used here, declared so that tsc checks this file without Deno's own types.
declare const Deno: {
  readonly env: { toObject: () => Record<string, string> }
  readonly serve: (
    options: { port: number; hostname?: string; onListen?: () => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>
  ) => { shutdown: () => Promise<void> }
  readonly addSignalListener: (signal: "SIGINT" | "SIGTERM", handler: () => void) => void
  readonly exit: (code: number) => never
}

const fail = (e: unknown): never => {
  console.error(startFailureLine(e, Deno.env.toObject()))
  return Deno.exit(1)
}
const booted = await bootFromEnv(Deno.env.toObject(), {
  clientAddress: (_request, env) => (env as { remoteAddr?: { hostname: string } } | undefined)?.remoteAddr?.hostname
}).catch(fail)
let server: ReturnType<typeof Deno.serve>
try {
  server = Deno.serve({ port: booted.port, hostname: listenHostname(Deno.env.toObject()), onListen: () => booted.banner.forEach((line) => console.log(line)) }, (request, info) =>
    booted.app.fetch(request, info))
} catch (e) {
  server = fail(e)
}
let stopping = false
const stop = async (signal: string) => {
  if (stopping) return
  stopping = true
  console.error(`\n${signal}: stopping bienlai edge...`)
  await server.shutdown()
  await booted.close()
  Deno.exit(0)
}
Deno.addSignalListener("SIGINT", () => void stop("SIGINT"))
Deno.addSignalListener("SIGTERM", () => void stop("SIGTERM"))
