/**
 * A start-up failure as the one line a person needs (what went wrong and,
 * where we know, what to do), instead of a stack trace: a port in use, a
 * database that does not answer, a key that does not open.
 */
const firstLine = (text: string): string => text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? text

export const startFailureLine = (error: unknown, env: Readonly<Record<string, string | undefined>>): string => {
  const e = error as { _tag?: unknown; code?: unknown; message?: unknown; internal?: unknown } | null
  const code = typeof e?.code === "string" ? e.code : undefined
  // An ApiError keeps the technical reason apart from what a client is told; the operator needs it.
  const internal = typeof e?.internal === "string" && e.internal !== e.message ? ` (${firstLine(e.internal)})` : ""
  const message = (typeof e?.message === "string" ? firstLine(e.message) : String(error)) + internal
  if (code === "EADDRINUSE" || /address already in use|port .* in use/i.test(message)) {
    return `bienlai: cannot start: port ${env["PORT"] ?? 8787} is already in use; stop what uses it or set PORT to another port.`
  }
  // The Database layer (store/database/database.ts) names the server it could not open.
  const serverDown = e?._tag === "StoreUnavailable" && /cannot open PostgreSQL at .*connection/.test(message)
  if (code === "ECONNREFUSED" || code === "CONNECTION_REFUSED" || serverDown) {
    return `bienlai: cannot start: the database at DATABASE_URL does not answer (${message}); start PostgreSQL, or unset DATABASE_URL to use the embedded database.`
  }
  return `bienlai: cannot start: ${message}`
}
