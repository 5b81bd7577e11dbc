/**
 * Progress of a bulk job: on a terminal one redrawn line with a bar, rows
 * per second and the time left; otherwise (a log file, CI, a pipe) a plain
 * line every few seconds. Time comes in as a function so tests can drive it.
 */

export interface ProgressSink {
  readonly isTTY: boolean
  readonly write: (text: string) => void
}

export interface Progress {
  /** `done` rows so far; `fraction` of the work (0..1) when known. */
  readonly update: (done: number, fraction: number | undefined) => void
  readonly finish: () => void
}

const clock = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return "?"
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const mm = String(m).padStart(h > 0 ? 2 : 1, "0")
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s % 60).padStart(2, "0")}`
}

const grouped = (n: number): string => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")

/** "[######------]  45%  123,456 rows  52,345 rows/s  ETA 0:17" */
export const progressLine = (label: string, done: number, fraction: number | undefined, elapsedSeconds: number, width = 24): string => {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0
  const f = fraction === undefined ? undefined : Math.min(1, Math.max(0, fraction))
  const eta = f !== undefined && f > 0 ? (elapsedSeconds * (1 - f)) / f : Number.NaN
  const bar = f === undefined ? "" : `[${"#".repeat(Math.round(f * width)).padEnd(width, "-")}] ${String(Math.floor(f * 100)).padStart(3)}%  `
  return `${label} ${bar}${grouped(done)} rows  ${grouped(rate)} rows/s  ETA ${clock(eta)}`
}

export const makeProgress = (
  label: string,
  sink: ProgressSink,
  now: () => number = () => performance.now(),
  logEveryMs = 5000
): Progress => {
  const started = now()
  let lastDraw = -Infinity
  let drewTTY = false
  const minGap = sink.isTTY ? 200 : logEveryMs
  let last: { done: number; fraction: number | undefined } = { done: 0, fraction: 0 }
  const draw = () => {
    const line = progressLine(label, last.done, last.fraction, (now() - started) / 1000)
    if (sink.isTTY) {
      sink.write(`\r\x1b[2K${line}`)
      drewTTY = true
    } else sink.write(`${line}\n`)
  }
  return {
    update: (done, fraction) => {
      last = { done, fraction }
      const t = now()
      if (t - lastDraw < minGap) return
      lastDraw = t
      draw()
    },
    finish: () => {
      if (sink.isTTY && drewTTY) {
        draw()
        sink.write("\n")
      }
    }
  }
}
