/**
 * An officer acts for their own agency only: a request body that names an
 * agency must name theirs. Checked on what was sent, before anything about
 * the body's shape, so naming another agency is always answered as such.
 */
import type { Context } from "hono"
import type { EdgeEnv } from "../http/env.ts"
import { refusal } from "../http/errors.ts"

export const sameAgency = (c: Context<EdgeEnv>, sent: unknown): void => {
  if (sent === null || typeof sent !== "object" || Array.isArray(sent)) return
  const agency = (sent as Record<string, unknown>)["agency"]
  const own = c.get("principal").agency
  if (agency !== undefined && agency !== own) {
    const other = String(agency).slice(0, 20)
    throw refusal(403, "other_agency", { vi: `Bạn làm việc cho cơ quan ${own}; không thể thao tác thay cơ quan ${other}.`, en: `you act for agency ${own}; you cannot act for agency ${other}` })
  }
}
