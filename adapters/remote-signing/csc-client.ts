/**
 * The HTTP client of a remote signing service (ký số từ xa), in the shape of
 * the Cloud Signature Consortium API v2 with the asynchronous confirmation
 * that SmartCA-style services add (docs/SIGNING.md, "Remote signing"):
 *
 *   POST {base}/csc/v2/credentials/info           { credentialID, certificates: "single" }
 *        → { key: { status }, cert: { status, certificates: [base64 DER] } }
 *   POST {base}/csc/v2/credentials/authorize      { credentialID, numSignatures[, hashes: [base64],
 *                                                   hashAlgorithmOID], description }
 *        → 202 { authorizationID, expiresIn }      the approver is asked on the phone
 *   POST {base}/csc/v2/credentials/authorizeCheck { authorizationID }
 *        → { status: "pending" } | { status: "authorized", SAD, expiresIn } | { status: "refused", reason } | { status: "expired" }
 *   POST {base}/csc/v2/signatures/signHash        { credentialID, SAD, hashes: [base64], hashAlgorithmOID, signAlgo[, signAlgoParams] }
 *        → { signatures: [base64] }
 *
 * with `Authorization: Bearer <access token>`. Errors come back as
 * { error, error_description } with a 4xx or 5xx status (CSC's shape).
 */

export const SHA256_OID = "2.16.840.1.101.3.4.2.1"
export const ECDSA_SHA256_OID = "1.2.840.10045.4.3.2"
export const RSASSA_PSS_OID = "1.2.840.113549.1.1.10"

export class RemoteServiceError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

export type AuthorizeCheck =
  | { readonly status: "pending" }
  | { readonly status: "authorized"; readonly SAD: string; readonly expiresIn: number }
  | { readonly status: "refused"; readonly reason: string }
  | { readonly status: "expired" }

export interface CscClient {
  readonly info: (credentialId: string) => Promise<{ readonly certificate: Uint8Array; readonly enabled: boolean }>
  /** Without `hashes`, the approver authorises `count` signatures of hashes not known yet (CSC's SCAL1). */
  readonly authorize: (body: { readonly credentialId: string; readonly count: number; readonly hashes?: ReadonlyArray<Uint8Array>; readonly description: string }) => Promise<{ readonly authorizationId: string; readonly expiresIn: number }>
  readonly check: (authorizationId: string) => Promise<AuthorizeCheck>
  readonly signHash: (body: { readonly credentialId: string; readonly sad: string; readonly hashes: ReadonlyArray<Uint8Array>; readonly signAlgo: string; readonly signAlgoParams?: string }) => Promise<ReadonlyArray<Uint8Array>>
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64")

export const cscClient = (opts: { readonly baseUrl: string; readonly accessToken?: string; readonly fetch?: typeof fetch; readonly timeoutMs?: number }): CscClient => {
  const base = opts.baseUrl.replace(/\/+$/, "")
  const doFetch = opts.fetch ?? fetch
  const post = async (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    let res: Response
    try {
      res = await doFetch(`${base}/csc/v2/${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(opts.accessToken === undefined ? {} : { Authorization: `Bearer ${opts.accessToken}` }) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000)
      })
    } catch (e) {
      throw new RemoteServiceError(0, `the remote signing service at ${base} cannot be reached (${e instanceof Error ? e.message : String(e)})`)
    }
    let json: Record<string, unknown> = {}
    try {
      json = (await res.json()) as Record<string, unknown>
    } catch {
      // an empty or non-JSON body is reported by its status below
    }
    if (res.status >= 400) {
      const why = typeof json["error_description"] === "string" ? json["error_description"] : typeof json["error"] === "string" ? json["error"] : `HTTP ${res.status}`
      throw new RemoteServiceError(res.status, `the remote signing service refused ${path}: ${why}`)
    }
    return { status: res.status, json }
  }
  return {
    info: async (credentialId) => {
      const { json } = await post("credentials/info", { credentialID: credentialId, certificates: "single" })
      const cert = json["cert"] as { certificates?: Array<string>; status?: string } | undefined
      const key = json["key"] as { status?: string } | undefined
      const first = cert?.certificates?.[0]
      if (typeof first !== "string") throw new RemoteServiceError(200, `credential ${credentialId} has no certificate`)
      return { certificate: new Uint8Array(Buffer.from(first, "base64")), enabled: key?.status === "enabled" && cert?.status !== "revoked" }
    },
    authorize: async (body) => {
      const { json } = await post("credentials/authorize", {
        credentialID: body.credentialId,
        numSignatures: body.count,
        ...(body.hashes === undefined ? {} : { hashes: body.hashes.map(b64), hashAlgorithmOID: SHA256_OID }),
        description: body.description
      })
      if (typeof json["authorizationID"] !== "string") throw new RemoteServiceError(200, "the remote signing service gave no authorizationID")
      return { authorizationId: json["authorizationID"], expiresIn: typeof json["expiresIn"] === "number" ? json["expiresIn"] : 120 }
    },
    check: async (authorizationId) => {
      const { json } = await post("credentials/authorizeCheck", { authorizationID: authorizationId })
      const status = json["status"]
      if (status === "pending" || status === "expired") return { status }
      if (status === "refused") return { status, reason: typeof json["reason"] === "string" ? json["reason"] : "refused" }
      if (status === "authorized" && typeof json["SAD"] === "string") return { status, SAD: json["SAD"], expiresIn: typeof json["expiresIn"] === "number" ? json["expiresIn"] : 60 }
      throw new RemoteServiceError(200, `the remote signing service answered authorizeCheck with an unknown status ${JSON.stringify(status)}`)
    },
    signHash: async (body) => {
      const { json } = await post("signatures/signHash", {
        credentialID: body.credentialId,
        SAD: body.sad,
        hashes: body.hashes.map(b64),
        hashAlgorithmOID: SHA256_OID,
        signAlgo: body.signAlgo,
        ...(body.signAlgoParams === undefined ? {} : { signAlgoParams: body.signAlgoParams })
      })
      const signatures = json["signatures"]
      if (!Array.isArray(signatures) || signatures.length !== body.hashes.length || signatures.some((s) => typeof s !== "string")) {
        throw new RemoteServiceError(200, `the remote signing service returned ${Array.isArray(signatures) ? signatures.length : "no"} signatures for ${body.hashes.length} hashes`)
      }
      return signatures.map((s: string) => new Uint8Array(Buffer.from(s, "base64")))
    }
  }
}
