/**
 * The group issuer's queue. Per series (by its key), the requests waiting
 * for a group transaction, and at most `maxInFlight` groups of that series
 * running at once from this process. Requests that arrive while a group runs
 * wait and leave together as the next group: a hot counter row allows only
 * so many commits per second, and grouping turns each of them into many
 * receipts. A group starts on the next turn of the event loop, so every
 * request of the current turn (and the callers just answered, who often ask
 * again at once) joins it.
 *
 * Nothing here knows what a group does; `run` is handed each group and must
 * answer every member. If it throws, `failed` answers them instead.
 */

export interface SeriesQueueOptions {
  /** Largest group. */
  readonly maxGroup: number
  /** Groups of one series running at once. */
  readonly maxInFlight: number
}

export interface SeriesQueues<T> {
  readonly push: (key: string, item: T) => void
}

/**
 * How many of `waiting` requests the next group takes. With room for more
 * groups than one, the waiting requests are shared among them, so one group
 * is signed while the one before it commits.
 */
export const nextGroupSize = (waiting: number, inFlight: number, options: SeriesQueueOptions): number =>
  waiting === 0 || inFlight >= options.maxInFlight ? 0 : Math.min(options.maxGroup, Math.ceil(waiting / (options.maxInFlight - inFlight)))

interface Queue<T> {
  readonly waiting: Array<T>
  inFlight: number
  /** A group will start on the next turn of the event loop. */
  starting: boolean
}

export const makeSeriesQueues = <T>(
  options: SeriesQueueOptions,
  run: (group: Array<T>, key: string) => Promise<void>,
  failed: (group: ReadonlyArray<T>, error: unknown) => void
): SeriesQueues<T> => {
  const queues = new Map<string, Queue<T>>()

  const start = (queue: Queue<T>, key: string): void => {
    queue.starting = false
    const size = nextGroupSize(queue.waiting.length, queue.inFlight, options)
    if (size === 0) return
    const group = queue.waiting.splice(0, size)
    queue.inFlight++
    void run(group, key)
      .catch((error) => failed(group, error))
      .finally(() => {
        queue.inFlight--
        schedule(queue, key)
      })
  }

  const schedule = (queue: Queue<T>, key: string): void => {
    if (queue.starting || queue.inFlight >= options.maxInFlight || queue.waiting.length === 0) return
    queue.starting = true
    setImmediate(() => start(queue, key))
  }

  const push = (key: string, item: T): void => {
    let queue = queues.get(key)
    if (queue === undefined) {
      queue = { waiting: [], inFlight: 0, starting: false }
      queues.set(key, queue)
    }
    queue.waiting.push(item)
    schedule(queue, key)
  }

  return { push }
}
