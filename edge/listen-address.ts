/**
 * The address the service listens on: every address, IPv6 and IPv4 alike
 * ("::", dual-stack), unless HOST says otherwise.
 *
 * Why: the service prints its URLs with `localhost`, which clients (Bun's
 * and Node's fetch, browsers) try as ::1 first. Deno listens on IPv4's
 * 0.0.0.0 by default, which leaves the port on ::1 free for another
 * program, and `http://localhost:PORT` then reaches that program instead of
 * bienlai: a body without `result` in the runtimes smoke test, while other
 * test servers came and went on the machine. On "::" the port is ours on
 * both, or the start fails saying the port is taken. (Bun and Node listen
 * on both by default; it is said explicitly for them too.)
 */
import { networkInterfaces } from "node:os"

const hasIpv6 = (): boolean =>
  Object.values(networkInterfaces()).some((addresses) => (addresses ?? []).some((a) => a.family === "IPv6"))

export const listenHostname = (env: Readonly<Record<string, string | undefined>>): string => {
  const host = env["HOST"]
  if (host !== undefined && host !== "") return host
  return hasIpv6() ? "::" : "0.0.0.0"
}
