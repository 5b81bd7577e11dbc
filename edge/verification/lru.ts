/**
 * A map that holds at most `capacity` entries and forgets the least recently
 * used one first. Whatever a public caller can name must not grow memory
 * without bound.
 */
export interface Lru<K, V> {
  readonly get: (key: K) => V | undefined
  readonly set: (key: K, value: V) => void
  readonly delete: (key: K) => void
  readonly size: () => number
}

export const makeLru = <K, V>(capacity: number): Lru<K, V> => {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an LRU needs a capacity of at least 1, not ${capacity}`)
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  const entries = new Map<K, V>()
  return {
    get: (key) => {
      const value = entries.get(key)
      if (value !== undefined) {
        entries.delete(key)
        entries.set(key, value)
      }
      return value
    },
    set: (key, value) => {
      entries.delete(key)
      entries.set(key, value)
      while (entries.size > capacity) entries.delete(entries.keys().next().value as K)
    },
    delete: (key) => {
      entries.delete(key)
    },
    size: () => entries.size
  }
}
