/** The dispatcher's dependencies from a Notifier and the process's Clock and Entropy, the same for the edge and the command. */
import { Effect, Result } from "effect"
import { hostname } from "node:os"
import type { Notifier } from "../../domain/notifications/channel.ts"
import type { Db } from "../../store/database/db.ts"
import type { WebhookEndpoints } from "./channels.ts"
import type { DispatcherDeps } from "./dispatcher.ts"
import type { LinksFor } from "./links.ts"
import type { NotifySettings } from "./settings.ts"

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

/** A number in [0, 1) from four random bytes. */
export const unitInterval = (bytes: Uint8Array): number => (((bytes[0] ?? 0) << 24 >>> 0) + ((bytes[1] ?? 0) << 16) + ((bytes[2] ?? 0) << 8) + (bytes[3] ?? 0)) / 2 ** 32

export const dispatcherDeps = (input: {
  readonly db: Db
  readonly notifier: Notifier["Service"]
  readonly endpoints: WebhookEndpoints
  readonly linksFor: LinksFor
  readonly settings: NotifySettings
  readonly now: () => Date
  readonly randomBytes: (n: number) => Uint8Array
  readonly role: string
}): DispatcherDeps => ({
  db: input.db,
  owner: `${hostname()}:${input.role}:${process.pid}:${hex(input.randomBytes(4))}`,
  deliver: (n) => Effect.runPromise(Effect.result(input.notifier.deliver(n))).then((r) => (Result.isSuccess(r) ? Result.succeed(r.success) : Result.fail(r.failure))),
  endpoints: input.endpoints,
  linksFor: input.linksFor,
  policy: input.settings.policy,
  leaseMs: input.settings.leaseMs,
  batch: input.settings.batch,
  lanes: input.settings.lanes,
  now: input.now,
  jitter: () => unitInterval(input.randomBytes(4))
})
