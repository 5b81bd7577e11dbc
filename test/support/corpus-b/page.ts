/**
 * Corpus B's page model: text and rules placed on an A4 page in points
 * (1/72 inch), stamps and signatures over them. Documents are built as
 * tables, two columns and sentences rather than corpus A's label lines.
 */
export interface TextItem {
  readonly kind: "text"
  readonly x: number
  readonly y: number
  readonly text: string
  readonly size?: number
  readonly bold?: boolean
  readonly anchor?: "start" | "middle" | "end"
}

export interface RuleItem {
  readonly kind: "rule"
  readonly x1: number
  readonly y1: number
  readonly x2: number
  readonly y2: number
}

/** A round red seal over the signature block, and a signature's scribble. */
export interface StampItem {
  readonly kind: "stamp"
  readonly cx: number
  readonly cy: number
  readonly r: number
  readonly text: string
}

export interface SignatureItem {
  readonly kind: "signature"
  readonly x: number
  readonly y: number
  readonly width: number
}

export type Item = TextItem | RuleItem | StampItem | SignatureItem

export const PAGE_WIDTH = 595
export const PAGE_HEIGHT = 842
