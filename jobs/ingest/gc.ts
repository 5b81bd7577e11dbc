/**
 * A full collection after each batch. A batch leaves megabytes of garbage
 * (decoded rows, schema issues, canonical strings); collected as it comes,
 * each thread's heap stays near its live size instead of growing until the
 * runtime decides to collect, three heaps at once. Measured on 100,000 rows
 * with 2 workers: peak RSS 636 MB without, 400 MB with, at the same speed.
 */
export const collectGarbage = (): void => (globalThis as { Bun?: { gc: (force: boolean) => void } }).Bun?.gc(true)
