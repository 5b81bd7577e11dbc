/**
 * The agencies' public service as a verifier reaches it over HTTP: the trust
 * list and the signed status list of one series. Only the service the
 * verifier was configured with is ever asked, never a host named in a QR
 * code. Nothing fetched here is believed as is: the caller checks status
 * lists against its trust anchors and a fetched trust list against a root
 * it already holds.
 */

export interface SeriesRef {
  readonly agency: string
  readonly form: string
  readonly symbol: string
}

export interface PublicServiceClient {
  readonly baseUrl: string
  /** The trust list JSON, unchecked. */
  readonly trustList: () => Promise<unknown>
  /** The signed status list of a series, unchecked; undefined when the service has none (404). */
  readonly statusList: (series: SeriesRef) => Promise<Uint8Array | undefined>
  /** The signed notice status list of an approved payout round, unchecked; undefined when the service has none (404). */
  readonly noticeStatusList: (round: { readonly agency: string; readonly caseDecision: string; readonly round: number }) => Promise<Uint8Array | undefined>
}

export class PublicServiceUnavailable extends Error {}

export const publicServiceClient = (baseUrl: string, options: { readonly timeoutMs?: number; readonly fetch?: typeof fetch } = {}): PublicServiceClient => {
  const base = baseUrl.replace(/\/+$/, "")
  const get = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 10_000
  const request = async (path: string): Promise<Response> => {
    try {
      return await get(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" })
    } catch (e) {
      throw new PublicServiceUnavailable(`${base} could not be reached: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return {
    baseUrl: base,
    trustList: async () => {
      const res = await request("/api/trust-list")
      if (!res.ok) throw new PublicServiceUnavailable(`${base}/api/trust-list answered ${res.status}`)
      try {
        return (await res.json()) as unknown
      } catch {
        throw new PublicServiceUnavailable(`${base}/api/trust-list did not answer JSON`)
      }
    },
    statusList: async (s) => {
      const res = await request(`/api/status-list?${new URLSearchParams({ agency: s.agency, form: s.form, symbol: s.symbol })}`)
      if (res.status === 404) return undefined
      if (!res.ok) throw new PublicServiceUnavailable(`${base} answered ${res.status} for the status list of ${s.form} ${s.symbol}`)
      return new Uint8Array(await res.arrayBuffer())
    },
    noticeStatusList: async (r) => {
      const res = await request(`/api/payout-status-list?${new URLSearchParams({ agency: r.agency, case: r.caseDecision, round: String(r.round) })}`)
      if (res.status === 404) return undefined
      if (!res.ok) throw new PublicServiceUnavailable(`${base} answered ${res.status} for the notice status list of round ${r.round} of ${r.caseDecision}`)
      return new Uint8Array(await res.arrayBuffer())
    }
  }
}
