/**
 * A set of short ASCII identifiers (end-to-end ids: at most 35 characters)
 * kept in typed arrays instead of a Set of strings: a million ids take about
 * 30 MB here against some 270 MB of JavaScript heap, which is what lets a
 * million-line pain.001 refuse a repeated id and still stay well under 512 MB.
 * Exact: two ids are equal only when all their characters are.
 */

export interface IdSet {
  /** Adds the id; false when it was already there. */
  readonly add: (id: string) => boolean
  readonly size: () => number
}

export const createIdSet = (): IdSet => {
  let arena = new Uint8Array(1 << 16)
  let used = 0
  let starts = new Int32Array(1 << 12)
  let lengths = new Uint8Array(1 << 12)
  let count = 0
  let slots = new Int32Array(1 << 13) // 0 = empty, else index + 1
  let mask = slots.length - 1

  const hash = (id: string): number => {
    let h = 0x811c9dc5
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
    return h >>> 0
  }
  const equals = (index: number, id: string): boolean => {
    if (lengths[index] !== id.length) return false
    const start = starts[index] as number
    for (let i = 0; i < id.length; i++) if (arena[start + i] !== id.charCodeAt(i)) return false
    return true
  }
  const place = (index: number, h: number) => {
    let s = h & mask
    while (slots[s] !== 0) s = (s + 1) & mask
    slots[s] = index + 1
  }
  const grow = () => {
    slots = new Int32Array(slots.length * 2)
    mask = slots.length - 1
    for (let i = 0; i < count; i++) {
      const start = starts[i] as number
      let h = 0x811c9dc5
      for (let j = 0; j < (lengths[i] as number); j++) h = Math.imul(h ^ (arena[start + j] as number), 0x01000193)
      place(i, h >>> 0)
    }
  }

  return {
    add: (id) => {
      if (id.length > 255 || !/^[\x00-\x7f]*$/.test(id)) throw new RangeError("createIdSet holds ASCII ids of at most 255 characters")
      const h = hash(id)
      let s = h & mask
      while (slots[s] !== 0) {
        if (equals((slots[s] as number) - 1, id)) return false
        s = (s + 1) & mask
      }
      if (used + id.length > arena.length) {
        const bigger = new Uint8Array(Math.max(arena.length * 2, used + id.length))
        bigger.set(arena)
        arena = bigger
      }
      if (count === starts.length) {
        const s2 = new Int32Array(starts.length * 2)
        s2.set(starts)
        starts = s2
        const l2 = new Uint8Array(lengths.length * 2)
        l2.set(lengths)
        lengths = l2
      }
      for (let i = 0; i < id.length; i++) arena[used + i] = id.charCodeAt(i)
      starts[count] = used
      lengths[count] = id.length
      used += id.length
      count++
      // Kept at most half full, so probes stay short.
      if (count * 2 > slots.length) grow()
      else slots[s] = count
      return true
    },
    size: () => count
  }
}
