/**
 * The page an official document is drawn on, as Decree 30/2020/NĐ-CP sets
 * it: A4 portrait, its margins, and the columns its heading stands in (the
 * issuing body on the left, the national motto on the right). The receipt
 * and the payout notice share it, so they print alike.
 */
import type { Box } from "./pen.ts"

/** A4 portrait, in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const
/** Decree 30's margins: 20–25 mm top and bottom, 30–35 mm left, 15–20 mm right. */
export const MARGIN = { top: 57, bottom: 57, left: 85, right: 57 } as const

const content: Box = { left: MARGIN.left, right: PAGE.width - MARGIN.right }
const split = content.left + (content.right - content.left) * 0.42

/** Between the margins, and the heading's two columns: the body's 42 % on the left, 6 pt apart from the motto's on the right. */
export const COLUMNS: { readonly content: Box; readonly left: Box; readonly right: Box } = {
  content,
  left: { left: content.left, right: split - 6 },
  right: { left: split, right: content.right }
}

/** The x a line is centred on in `b`. */
export const centerOf = (b: Box): number => (b.left + b.right) / 2
