/**
 * The live streams open in this process (the operations view's server-sent
 * events), so that a graceful stop (SIGINT, SIGTERM: edge/main.ts) can end
 * them first: a stream is a request that never finishes by itself, and the
 * server waits for requests in flight before it stops.
 */
const open = new Set<() => void>()

/** Registers a stream's way to end; returns the function that unregisters it. */
export const registerLiveStream = (end: () => void): (() => void) => {
  open.add(end)
  return () => void open.delete(end)
}

/** Ends every live stream now (the browsers reconnect to whichever server answers next). */
export const endLiveStreams = (): void => {
  for (const end of [...open]) end()
}
