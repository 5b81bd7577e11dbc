/** What the edge keeps per request in Hono's context. */
export interface Principal {
  readonly officer: string
  readonly agency: string
  readonly role: "officer" | "approver" | "auditor" | "admin"
}

export type EdgeEnv = {
  Variables: {
    requestId: string
    logFields: Record<string, string | number | boolean>
    principal: Principal
    /** The API token this request came with (set by officerAuth): its public id and expiry. */
    credential: { readonly tokenId: string; readonly expiresAt: string }
  }
}
