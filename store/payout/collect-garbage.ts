/**
 * A full garbage collection now (Bun only; elsewhere nothing). Planning a
 * round of a million creditors leaves garbage by the hundred megabytes at
 * each step (the rows read, the planner's temporaries, the serialised lines)
 * and Bun's collector let it pile up: RSS 500 MB after reading the claims
 * into a table that holds about 120. A collection at each step's end costs a
 * fraction of a second and keeps the peak near what is alive.
 */
export const collectGarbage = (): void => (globalThis as { Bun?: { gc?: (force: boolean) => void } }).Bun?.gc?.(true)
