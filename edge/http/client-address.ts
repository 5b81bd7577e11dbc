/**
 * The client's address for per-client limits. Behind proxies the peer is the
 * proxy, and X-Forwarded-For lists the addresses each hop saw, the client's
 * own claims first: every proxy appends the address it received from, so
 * only the last `hops` entries were written by our proxies. The client is
 * the entry `hops` places from the right; anything further left is whatever
 * the client sent and is never believed (a client could otherwise pick a new
 * address, and a fresh rate-limit bucket, per request).
 */
export const clientAddress = (forwardedFor: string | null | undefined, hops: number, peer: string | undefined): string => {
  if (hops > 0 && forwardedFor !== null && forwardedFor !== undefined) {
    const entries = forwardedFor.split(",").map((e) => e.trim()).filter((e) => e !== "")
    // Fewer entries than proxies: the client sent none, and the first one was written by our outermost proxy.
    const chosen = entries.length >= hops ? entries[entries.length - hops] : entries[0]
    if (chosen !== undefined) return chosen
  }
  return peer ?? "unknown"
}
