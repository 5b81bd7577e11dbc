/**
 * The dispatcher's settings from the environment (README, "Notifications"):
 *
 *   NOTIFY_SMTP_HOST, NOTIFY_SMTP_PORT (587), NOTIFY_SMTP_SECURE=1 (TLS from
 *   the first byte, port 465), NOTIFY_SMTP_REQUIRE_TLS=1, NOTIFY_SMTP_USER,
 *   NOTIFY_SMTP_PASSWORD, NOTIFY_SMTP_FROM, NOTIFY_MESSAGE_ID_DOMAIN
 *                          e-mail; without NOTIFY_SMTP_HOST the e-mail channel is off
 *                          (its notifications are dead-lettered as not configured)
 *   NOTIFY_WEBHOOK_ALLOW_HTTP=1   plain http to hosts other than loopback (never in production)
 *   NOTIFY_MAX_ATTEMPTS (16), NOTIFY_BASE_DELAY_MS (5000), NOTIFY_MAX_DELAY_MS (6 h)
 *   NOTIFY_LEASE_MS (120000), NOTIFY_BATCH (50), NOTIFY_LANES (4), NOTIFY_IDLE_MS (1000)
 *   PUBLIC_URL             where the links in messages point
 *
 * The SMTP password is a secret: it goes to the transport and nowhere else
 * (`describeSettings` prints whether one is set, never its value).
 */
import { Result } from "effect"
import { checkPolicy, defaultDeliveryPolicy, type DeliveryPolicy } from "../../domain/notifications/delivery-policy.ts"
import type { EmailConfig } from "../../adapters/notify/email-channel.ts"

export interface NotifySettings {
  readonly policy: DeliveryPolicy
  readonly leaseMs: number
  readonly batch: number
  readonly lanes: number
  readonly idleMs: number
  readonly publicUrl: string
  readonly email: EmailConfig | undefined
  readonly allowHttp: boolean
}

type Env = Readonly<Record<string, string | undefined>>

const positive = (env: Env, name: string, fallback: number): number => {
  const raw = env[name]
  if (raw === undefined || raw === "") return fallback
  const v = Number(raw)
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name}=${raw} is not a positive number`)
  return v
}

export const notifySettingsFromEnv = (env: Env): NotifySettings => {
  const policy = checkPolicy({
    maxAttempts: Math.floor(positive(env, "NOTIFY_MAX_ATTEMPTS", defaultDeliveryPolicy.maxAttempts)),
    baseDelayMs: positive(env, "NOTIFY_BASE_DELAY_MS", defaultDeliveryPolicy.baseDelayMs),
    maxDelayMs: positive(env, "NOTIFY_MAX_DELAY_MS", defaultDeliveryPolicy.maxDelayMs)
  })
  if (Result.isFailure(policy)) throw new Error(`notification retry settings: ${policy.failure.message}`)
  const host = env["NOTIFY_SMTP_HOST"]
  const from = env["NOTIFY_SMTP_FROM"]
  if (host !== undefined && host !== "" && (from === undefined || from === "")) throw new Error("NOTIFY_SMTP_FROM is required with NOTIFY_SMTP_HOST (the sender of notification e-mails)")
  const user = env["NOTIFY_SMTP_USER"]
  const email: EmailConfig | undefined = host === undefined || host === "" ? undefined : {
    host,
    port: positive(env, "NOTIFY_SMTP_PORT", 587),
    secure: env["NOTIFY_SMTP_SECURE"] === "1",
    requireTls: env["NOTIFY_SMTP_REQUIRE_TLS"] === "1",
    auth: user === undefined || user === "" ? undefined : { user, pass: env["NOTIFY_SMTP_PASSWORD"] ?? "" },
    from: from as string,
    messageIdDomain: env["NOTIFY_MESSAGE_ID_DOMAIN"] ?? (from as string).replace(/^.*@/, "").replace(/>.*$/, "")
  }
  const port = env["PORT"] ?? "8787"
  return {
    policy: policy.success,
    leaseMs: positive(env, "NOTIFY_LEASE_MS", 120_000),
    batch: Math.floor(positive(env, "NOTIFY_BATCH", 50)),
    lanes: Math.floor(positive(env, "NOTIFY_LANES", 4)),
    idleMs: positive(env, "NOTIFY_IDLE_MS", 1000),
    publicUrl: env["PUBLIC_URL"] ?? `http://localhost:${port}`,
    email,
    allowHttp: env["NOTIFY_WEBHOOK_ALLOW_HTTP"] === "1"
  }
}

/** One line for the banner and the log: the channels and the policy, never a password. */
export const describeSettings = (s: NotifySettings): string => {
  const mail = s.email === undefined
    ? "e-mail off"
    : `e-mail via ${s.email.host}:${s.email.port}${s.email.auth === undefined ? "" : ` as ${s.email.auth.user} (password ${s.email.auth.pass === "" ? "not set" : "set"})`}`
  return `webhooks, ${mail}, VNeID not configured; ${s.policy.maxAttempts} attempts, lease ${s.leaseMs} ms`
}
