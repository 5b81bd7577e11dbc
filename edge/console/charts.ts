/**
 * Bar charts as inline SVG, drawn on the server: no chart library, no
 * script, and they print. Values are bigint (amounts in đồng, counts) and
 * bar lengths are scaled in bigint too, so a trillion-đồng day is drawn as
 * exactly as a small one. Each chart carries its numbers as a title and in
 * a table for screen readers.
 */
import { type Html, html } from "../http/html.ts"

export interface Bar {
  readonly label: string
  readonly value: bigint
  /** How the value is printed (for money, "125.500.000 đ"). */
  readonly display: string
}

const PRECISION = 10_000n

/** value / max as a number in [0, 1], computed in bigint so no amount loses precision first. */
export const share = (value: bigint, max: bigint): number => (max <= 0n || value <= 0n ? 0 : Number((value * PRECISION) / max) / Number(PRECISION))

/** Vertical bars, one per label, for series over time (days). */
export const columnChart = (o: { readonly id: string; readonly title: string; readonly bars: ReadonlyArray<Bar>; readonly width?: number; readonly height?: number }): Html => {
  const width = o.width ?? 600
  const height = o.height ?? 200
  const top = 16
  const bottom = 34
  const plot = height - top - bottom
  const max = o.bars.reduce((m, b) => (b.value > m ? b.value : m), 0n)
  // Room at both ends so the first and last labels are not cut.
  const pad = 18
  const slot = o.bars.length === 0 ? width : (width - 2 * pad) / o.bars.length
  const barWidth = Math.max(2, Math.min(40, slot * 0.7))
  const everyNth = Math.max(1, Math.ceil(o.bars.length / 10))
  const bars = o.bars.map((b, i) => {
    const h = Math.round(share(b.value, max) * plot * 10) / 10
    const x = Math.round((pad + i * slot + (slot - barWidth) / 2) * 10) / 10
    const y = top + plot - h
    const label = i % everyNth === 0 ? html`<text x="${x + barWidth / 2}" y="${height - bottom + 14}" text-anchor="middle">${b.label}</text>` : ""
    return html`<g data-label="${b.label}" data-value="${b.value}"><rect x="${x}" y="${y}" width="${barWidth}" height="${h}" fill="#0b57d0"><title>${`${b.label}: ${b.display}`}</title></rect>${label}</g>`
  })
  return html`<figure class="chart" id="${o.id}"><figcaption>${o.title}</figcaption>
<svg role="img" aria-label="${o.title}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMid meet">
<line x1="0" y1="${top + plot}" x2="${width}" y2="${top + plot}" stroke="#b9bec6"/>${bars}</svg>
${dataTable(o.bars)}</figure>`
}

/** Horizontal bars with their labels and values printed, for categories (offices, statuses). */
export const barChart = (o: { readonly id: string; readonly title: string; readonly bars: ReadonlyArray<Bar>; readonly width?: number; readonly colors?: ReadonlyArray<string> }): Html => {
  const width = o.width ?? 600
  const row = 26
  const labelWidth = 130
  const valueWidth = 150
  const plot = width - labelWidth - valueWidth
  const height = Math.max(row, o.bars.length * row)
  const max = o.bars.reduce((m, b) => (b.value > m ? b.value : m), 0n)
  const bars = o.bars.map((b, i) => {
    const w = Math.round(share(b.value, max) * plot * 10) / 10
    const y = i * row
    const color = o.colors?.[i % o.colors.length] ?? "#0b57d0"
    const rect = html`<rect x="${labelWidth}" y="${y + 5}" width="${w}" height="${row - 10}" fill="${color}"><title>${`${b.label}: ${b.display}`}</title></rect>`
    return html`<g data-label="${b.label}" data-value="${b.value}"><text x="0" y="${y + 17}">${b.label}</text>${rect}<text x="${labelWidth + w + 6}" y="${y + 17}">${b.display}</text></g>`
  })
  return html`<figure class="chart" id="${o.id}"><figcaption>${o.title}</figcaption>
<svg role="img" aria-label="${o.title}" viewBox="0 0 ${width} ${height}" width="100%">${bars}</svg>
${dataTable(o.bars)}</figure>`
}

const dataTable = (bars: ReadonlyArray<Bar>): Html =>
  html`<table class="visually-hidden"><tbody>${bars.map((b) => html`<tr><th>${b.label}</th><td>${b.display}</td></tr>`)}</tbody></table>`
