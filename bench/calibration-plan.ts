/**
 * The pages the confidence calibration is fitted on, and the pages it is
 * checked on, held out from the fit. Tuning seeds only (docs/OCR.md: corpus A
 * 2025, 4242, 31; corpus B 7, 11–59); the evaluation seeds (A 8080, B 90417, 52801, and any ≥ 60000)
 * are never read here. Corpus B draws its condition (fax, low contrast, phone
 * photo, seals) per page and cycles its four kinds of document (slip,
 * deposit, credit advice with its memo, decision in sentences), so many
 * seeds of a dozen pages each give many faxes and memos.
 */
export interface PageSet {
  readonly corpus: "a" | "b"
  readonly seed: number
  readonly count: number
}

const bSeeds = (from: number, to: number, count: number): ReadonlyArray<PageSet> =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ corpus: "b" as const, seed: from + i, count }))

export const calibrationPlan: { readonly fit: ReadonlyArray<PageSet>; readonly heldOut: ReadonlyArray<PageSet> } = {
  // 40 + 24 + 25 × 12 = 364 pages: corpus B's seeds 31–45 joined the fit in the fourth round, since its
  // faxes (a quarter of B's pages) were too few for their context tables to hold on the held-out pages.
  fit: [{ corpus: "a", seed: 2025, count: 40 }, { corpus: "a", seed: 4242, count: 24 }, ...bSeeds(11, 20, 12), ...bSeeds(31, 45, 12)],
  // 24 + 10 × 8 = 104 pages, none of them in the fit.
  heldOut: [{ corpus: "a", seed: 31, count: 24 }, ...bSeeds(21, 30, 8)]
}
