/** An instant as Vietnam's wall clock (UTC+7, no daylight saving) reads it: "14:05 03/12/2026", for pages and PDFs. */
export const vietnamTime = (iso: string): string => {
  const t = new Date(Date.parse(iso) + 7 * 3_600_000)
  const two = (n: number) => String(n).padStart(2, "0")
  return `${two(t.getUTCHours())}:${two(t.getUTCMinutes())} ${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`
}
