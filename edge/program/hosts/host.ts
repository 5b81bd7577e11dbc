/**
 * What serving the app needs from a runtime (Bun, Node, Deno): its
 * environment, a listening server over the app's fetch handler, the client's
 * address through Hono's `getConnInfo` for that runtime, signals and exit.
 * Everything else (boot, banner, graceful stop) is written once in
 * edge/main.ts.
 */
import type { Context } from "hono"
import type { EdgeEnv } from "../../http/env.ts"

export interface Listening {
  /** Stops accepting and lets requests in flight finish. */
  readonly stop: () => Promise<void>
}

export interface Host {
  readonly env: () => Record<string, string | undefined>
  readonly listen: (
    fetch: (request: Request, env: unknown) => Response | Promise<Response>,
    at: { readonly port: number; readonly hostname: string }
  ) => Promise<Listening>
  readonly clientAddress: (c: Context<EdgeEnv>) => string | undefined
  readonly onSignal: (signal: "SIGINT" | "SIGTERM", handler: () => void) => void
  readonly exit: (code: number) => never
}
