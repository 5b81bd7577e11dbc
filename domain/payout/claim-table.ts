/**
 * A creditor list held in columns instead of one object per claim, so that a
 * case of a million creditors fits in about a hundred megabytes (as objects
 * it took about 650 MB, docs/PAYOUT.md "Benchmark").
 *
 *   - ids, identity numbers, names and account numbers: each column one long
 *     string and the offsets of its values (one string instead of a million);
 *   - what is owed: a BigInt64Array (amounts are below 10^15);
 *   - rank, request date, secured asset and bank BIN: indices into the few
 *     distinct values a case has (0: none).
 *
 * `planRound` reads the columns directly; `at(i)` gives one claim as an
 * object for the rest (notices, pages, tests). A plain array of claims is a
 * `ClaimList` too, so small plans built by hand keep working.
 */
import type { Claim } from "./claim.ts"
import type { Rank } from "./rules.ts"

/** The claims of a plan, by index: a columnar table or a plain array. */
export interface ClaimList {
  readonly length: number
  at(index: number): Claim | undefined
}

/** What planning needs to know of a claim to place it in a group and settle its line; a Claim is one. */
export interface ClaimFacts {
  readonly rank: Rank
  readonly requestDate?: string | undefined
  readonly secured?: { readonly asset: string } | undefined
}

const RANKS: ReadonlyArray<Rank> = ["a", "b", "c"]

/** Many strings as one string and the offset of each (in UTF-16 code units). */
class PackedStrings {
  readonly text: string
  readonly ends: Uint32Array
  constructor(text: string, ends: Uint32Array) {
    this.text = text
    this.ends = ends
  }
  get(i: number): string {
    return this.text.slice(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!)
  }
}

/** Appends strings and packs them; pieces are joined page by page so that no million-entry array of strings is kept. */
class PackedBuilder {
  private readonly pages: Array<string> = []
  private page: Array<string> = []
  private length = 0
  private ends: Uint32Array
  private count = 0
  constructor(capacity: number) {
    this.ends = new Uint32Array(Math.max(16, capacity))
  }
  push(s: string): void {
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2)
      grown.set(this.ends)
      this.ends = grown
    }
    this.length += s.length
    this.ends[this.count++] = this.length
    this.page.push(s)
    if (this.page.length === 8192) this.flush()
  }
  private flush(): void {
    if (this.page.length > 0) this.pages.push(this.page.join(""))
    this.page = []
  }
  build(): PackedStrings {
    this.flush()
    // One flat string: a rope of pages would be flattened on the first slice anyway.
    const text = this.pages.join("")
    return new PackedStrings(text, this.ends.slice(0, this.count))
  }
}

/** Distinct values and, per claim, the index of its value (0: absent). */
class Dictionary {
  readonly values: Array<string | undefined> = [undefined]
  private readonly index = new Map<string, number>()
  of(value: string | undefined): number {
    if (value === undefined) return 0
    let i = this.index.get(value)
    if (i === undefined) {
      i = this.values.length
      this.values.push(value)
      this.index.set(value, i)
    }
    return i
  }
}

export interface ClaimColumns {
  readonly ids: PackedStrings
  readonly identityNumbers: PackedStrings
  readonly names: PackedStrings
  readonly accounts: PackedStrings
  readonly owed: BigInt64Array
  readonly rank: Uint8Array
  readonly requestDate: Uint32Array
  readonly securedAsset: Uint32Array
  readonly bankBin: Uint32Array
  readonly requestDates: ReadonlyArray<string | undefined>
  readonly securedAssets: ReadonlyArray<string | undefined>
  readonly bankBins: ReadonlyArray<string | undefined>
}

export class ClaimTable implements ClaimList {
  readonly length: number
  private readonly c: ClaimColumns
  constructor(columns: ClaimColumns) {
    this.c = columns
    this.length = columns.owed.length
  }

  static builder(capacity = 1024): ClaimTableBuilder {
    return new ClaimTableBuilder(capacity)
  }

  static fromClaims(claims: Iterable<Claim>, capacity = 1024): ClaimTable {
    const b = new ClaimTableBuilder(capacity)
    for (const c of claims) b.push(c)
    return b.build()
  }

  id(i: number): string {
    return this.c.ids.get(i)
  }
  owed(i: number): bigint {
    return this.c.owed[i]!
  }
  rank(i: number): Rank {
    return RANKS[this.c.rank[i]!]!
  }
  requestDate(i: number): string | undefined {
    return this.c.requestDates[this.c.requestDate[i]!]
  }
  securedAsset(i: number): string | undefined {
    return this.c.securedAssets[this.c.securedAsset[i]!]
  }
  identityNumber(i: number): string {
    return this.c.identityNumbers.get(i)
  }
  name(i: number): string {
    return this.c.names.get(i)
  }
  /** The bank account's BIN, or undefined when the claim has no account on file. */
  bankBin(i: number): string | undefined {
    return this.c.bankBins[this.c.bankBin[i]!]
  }
  bankNumber(i: number): string | undefined {
    return this.c.bankBin[i] === 0 ? undefined : this.c.accounts.get(i)
  }
  hasBankAccount(i: number): boolean {
    return this.c.bankBin[i] !== 0
  }

  /** Fills `into` with claim i's facts for planning (one reused object instead of one per claim). */
  factsAt(i: number, into: { rank: Rank; requestDate?: string | undefined; secured?: { readonly asset: string } | undefined }): ClaimFacts {
    into.rank = this.rank(i)
    into.requestDate = this.requestDate(i)
    const asset = this.securedAsset(i)
    into.secured = asset === undefined ? undefined : { asset }
    return into
  }

  at(i: number): Claim | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined
    const claim: { -readonly [K in keyof Claim]: Claim[K] } = {
      id: this.id(i),
      creditor: { identityNumber: this.identityNumber(i), name: this.name(i) },
      rank: this.rank(i),
      owed: this.owed(i)
    }
    const requestDate = this.requestDate(i)
    if (requestDate !== undefined) claim.requestDate = requestDate
    const asset = this.securedAsset(i)
    if (asset !== undefined) claim.secured = { asset }
    const bin = this.bankBin(i)
    if (bin !== undefined) claim.bankAccount = { bin, number: this.c.accounts.get(i) }
    return claim
  }

  /** Whether the ids are strictly increasing (in UTF-16 code units, as `planRound` orders them). */
  isSortedById(): boolean {
    for (let i = 1; i < this.length; i++) if (!(this.id(i - 1) < this.id(i))) return false
    return true
  }

  /** The same claims in the order of `order` (indices into this table). */
  reordered(order: ArrayLike<number>): ClaimTable {
    const b = new ClaimTableBuilder(order.length)
    for (let k = 0; k < order.length; k++) b.push(this.at(order[k]!)!)
    return b.build()
  }
}

export class ClaimTableBuilder {
  private readonly ids: PackedBuilder
  private readonly identityNumbers: PackedBuilder
  private readonly names: PackedBuilder
  private readonly accounts: PackedBuilder
  private owed: BigInt64Array
  private rank: Uint8Array
  private requestDate: Uint32Array
  private securedAsset: Uint32Array
  private bankBin: Uint32Array
  private readonly requestDates = new Dictionary()
  private readonly securedAssets = new Dictionary()
  private readonly bankBins = new Dictionary()
  private added = 0

  /** How many claims were added so far. */
  get count(): number {
    return this.added
  }

  constructor(capacity: number) {
    const n = Math.max(16, capacity)
    this.ids = new PackedBuilder(n)
    this.identityNumbers = new PackedBuilder(n)
    this.names = new PackedBuilder(n)
    this.accounts = new PackedBuilder(n)
    this.owed = new BigInt64Array(n)
    this.rank = new Uint8Array(n)
    this.requestDate = new Uint32Array(n)
    this.securedAsset = new Uint32Array(n)
    this.bankBin = new Uint32Array(n)
  }

  private grow(): void {
    const n = this.owed.length * 2
    const owed = new BigInt64Array(n)
    owed.set(this.owed)
    this.owed = owed
    const grown = <T extends Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n)
      b.set(a)
      return b
    }
    this.rank = grown(this.rank, (k) => new Uint8Array(k))
    this.requestDate = grown(this.requestDate, (k) => new Uint32Array(k))
    this.securedAsset = grown(this.securedAsset, (k) => new Uint32Array(k))
    this.bankBin = grown(this.bankBin, (k) => new Uint32Array(k))
  }

  /** One claim, from its fields (the store reads rows straight into the columns). */
  add(
    id: string,
    identityNumber: string,
    name: string,
    rank: Rank,
    owed: bigint,
    requestDate: string | undefined,
    securedAsset: string | undefined,
    bankAccount: { readonly bin: string; readonly number: string } | undefined
  ): void {
    // The column is 64-bit: an amount it cannot hold would wrap silently (claims are below 10^15 đồng).
    if (owed < 0n || owed >= 1n << 63n) throw new RangeError(`claim ${id}: ${owed} đồng does not fit a claim table`)
    if (this.added === this.owed.length) this.grow()
    const i = this.added++
    this.ids.push(id)
    this.identityNumbers.push(identityNumber)
    this.names.push(name)
    this.accounts.push(bankAccount?.number ?? "")
    this.owed[i] = owed
    this.rank[i] = RANKS.indexOf(rank)
    this.requestDate[i] = this.requestDates.of(requestDate)
    this.securedAsset[i] = this.securedAssets.of(securedAsset)
    this.bankBin[i] = this.bankBins.of(bankAccount?.bin)
  }

  push(c: Claim): void {
    this.add(c.id, c.creditor.identityNumber, c.creditor.name, c.rank, c.owed, c.requestDate, c.secured?.asset, c.bankAccount)
  }

  build(): ClaimTable {
    const n = this.added
    return new ClaimTable({
      ids: this.ids.build(),
      identityNumbers: this.identityNumbers.build(),
      names: this.names.build(),
      accounts: this.accounts.build(),
      owed: this.owed.slice(0, n),
      rank: this.rank.slice(0, n),
      requestDate: this.requestDate.slice(0, n),
      securedAsset: this.securedAsset.slice(0, n),
      bankBin: this.bankBin.slice(0, n),
      requestDates: this.requestDates.values,
      securedAssets: this.securedAssets.values,
      bankBins: this.bankBins.values
    })
  }
}

/** The claims of a list as an array of objects (small plans, tests, pages). */
export const claimsOf = (list: ClaimList): Array<Claim> => Array.from({ length: list.length }, (_, i) => list.at(i)!)

/** Claim i's id, without building the claim when the list is a table. */
export const claimIdAt = (list: ClaimList, i: number): string => (list instanceof ClaimTable ? list.id(i) : list.at(i)!.id)
