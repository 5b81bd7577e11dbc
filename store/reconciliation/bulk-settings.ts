/**
 * Settings for the transaction of an import or a run, which work on a whole
 * month of entries at once (SET LOCAL: they end with the transaction).
 *
 * - work_mem: the set-based statements hash and group a million rows; at the
 *   default 4 MB those hashes spill to disk in batches.
 * - jit off: compiling each big statement took longer than running it (a
 *   hundred functions per statement on a busy two-core machine), and these
 *   statements are planned once per run, never reused.
 *
 * Both are ordinary settings that PGlite accepts too.
 */
export const bulkSettings = "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off"
