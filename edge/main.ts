/**
 * The edge's public entry for the processes in jobs/bin/ (the only edge file
 * they import): `serveEdge` boots the program (edge/boot.ts), listens on the
 * runtime it is given, prints the banner, and stops gracefully on SIGINT or
 * SIGTERM: stop accepting, let requests in flight finish, dispose the
 * runtime (background jobs, then the database). A failure to start is one
 * clear line and exit code 1, never a stack trace.
 */
import { bootFromEnv, type Booted, type BootOptions } from "./boot.ts"
import { listenHostname } from "./listen-address.ts"
import type { Host, Listening } from "./program/hosts/host.ts"
import { startFailureLine } from "./start-failure.ts"
import { endLiveStreams } from "./operations/live-streams.ts"

export { Edge, type EdgeServices } from "./services.ts"
export type { AppConfig } from "./program/app-config.ts"
export type { AppServices } from "./program/app-layer.ts"
export type { BackgroundJob } from "./boot.ts"
export { OcrEngine } from "../adapters/ocr/engine.ts"

export type RuntimeName = "bun" | "node" | "deno"

// Each host is loaded only on its runtime: hono/bun, @hono/node-server and Deno's globals belong to one each.
const hostOf = async (runtime: RuntimeName): Promise<Host> => {
  switch (runtime) {
    case "bun":
      return (await import("./program/hosts/bun.ts")).bunHost
    case "node":
      return (await import("./program/hosts/node.ts")).nodeHost
    case "deno":
      return (await import("./program/hosts/deno.ts")).denoHost
  }
}

export const serveEdge = async (runtime: RuntimeName, options: Pick<BootOptions, "jobs"> = {}): Promise<void> => {
  const host = await hostOf(runtime)
  const env = host.env()
  let booted: Booted | undefined
  let listening: Listening
  try {
    booted = await bootFromEnv(env, { ...options, clientAddress: host.clientAddress })
    listening = await host.listen(booted.app.fetch, { port: booted.port, hostname: listenHostname(env) })
    const m = booted.metricsListener
    if (m !== undefined) {
      const main = listening
      const metrics = await host.listen((request) => m.fetch(request), { port: m.port, hostname: m.hostname })
      listening = { stop: async () => void (await Promise.all([main.stop(), metrics.stop()])) }
    }
  } catch (e) {
    console.error(startFailureLine(e, env))
    await booted?.close().catch(() => {})
    return host.exit(1)
  }
  const running = booted
  for (const line of running.banner) console.log(line)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.error(`\n${signal}: stopping bienlai edge...`)
    // Live streams never finish by themselves: end them, or the server would wait for them.
    endLiveStreams()
    await listening.stop()
    await running.close()
    host.exit(0)
  }
  host.onSignal("SIGINT", () => void stop("SIGINT"))
  host.onSignal("SIGTERM", () => void stop("SIGTERM"))
}
