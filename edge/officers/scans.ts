/**
 * Scans attached to drafts, as the officer API and the console share them:
 * a scan is stored in `uploads` with its draft and queued for the OCR worker
 * (store/scans/scan-queue.ts); its state (queued, running, done, failed with the
 * reason) and what OCR read live in the same row, so every edge instance
 * and every restart sees the same queue.
 *
 * A scan beyond what one document may cost (too many pages, too many pixels:
 * adapters/ocr/admit.ts) is refused at once with 413, and one beyond the queue's
 * limits per officer and per agency, which the database keeps, with 429.
 */
import { uuidFromBytes } from "../../domain/ids.ts"
import { toHex } from "../../domain/signing/bytes.ts"
import type { Principal } from "../http/env.ts"
import type { ScanType } from "../http/image-upload.ts"
import type { EdgeServices } from "../services.ts"
import { refusalOf } from "../../adapters/ocr/admit.ts"
import { insertUpload, pendingScansOf, ScanQueueFull, scansAheadOf } from "../../store/scans/scan-queue.ts"
import { ApiError } from "../http/errors.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { type ScanState, scansOfOfficerRows, scansOfReceiptRows } from "../../store/scans/scan-reads.ts"

export interface StoredScan {
  readonly id: string
  readonly receiptId: string
  readonly contentType: ScanType
  readonly size: number
  readonly sha256: string
  readonly ocrStatus: "queued"
}

/** Stores the scan for the draft `receiptId` (the caller checked it is the officer's draft) and queues it for OCR. */
export const queueScan = async (s: EdgeServices, p: Principal, receiptId: string, bytes: Uint8Array, type: ScanType, detail: Record<string, unknown> = {}): Promise<StoredScan> => {
  const refused = await refusalOf(bytes, type)
  if (refused !== undefined) throw new ApiError(413, refused.code, refused.message, { details: { vi: refused.vi } })
  const id = uuidFromBytes(s.randomBytes(16))
  const sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)))
  const at = s.now().toISOString()
  await s.db.transaction(async (tx) => {
    try {
      await insertUpload(tx, { agency: p.agency, id, receiptId, contentType: type, content: bytes, sha256, uploadedBy: p.officer, uploadedAt: at })
    } catch (e) {
      if (e instanceof ScanQueueFull) throw queueFull(e)
      throw e
    }
    await recordEdgeAudit(tx, {
      agency: p.agency,
      actor: p.officer,
      action: "scan_uploaded",
      target: receiptId,
      at,
      detail: { ...detail, upload: id, contentType: type, size: bytes.length, sha256 }
    })
  })
  return { id, receiptId, contentType: type, size: bytes.length, sha256, ocrStatus: "queued" }
}

const queueFull = (e: ScanQueueFull): ApiError =>
  new ApiError(
    429,
    "too_many_scans",
    e.scope === "officer"
      ? `${e.limit} of your scans are still waiting to be read; upload more when some are done (at most ${e.limit} wait at once)`
      : `${e.limit} scans of your agency are waiting to be read, the most that may wait at once; upload again in a few minutes`,
    {
      details: {
        scope: e.scope,
        limit: e.limit,
        vi: e.scope === "officer"
          ? `Đã có ${e.limit} bản quét của bạn đang chờ đọc; hãy tải thêm khi có bản xong (tối đa ${e.limit} bản cùng lúc).`
          : `Cơ quan đang có ${e.limit} bản quét chờ đọc, mức tối đa cho phép; hãy tải lên lại sau ít phút.`
      },
      headers: { "Retry-After": "60" }
    }
  )

export type { ScanState }

/** The scans of one receipt of the agency, oldest first. */
export const scansOfReceipt = (s: EdgeServices, agency: string, receiptId: string): Promise<ReadonlyArray<ScanState>> =>
  scansOfReceiptRows(s.db, agency, receiptId)

/** The officer's latest scans, newest first (the console's inbox). */
export const scansOfOfficer = (s: EdgeServices, p: Principal, limit: number): Promise<ReadonlyArray<ScanState>> =>
  scansOfOfficerRows(s.db, p.agency, p.officer, limit)

/** How many of the officer's scans wait or are being read. */
export const pendingScans = (s: EdgeServices, p: Principal): Promise<number> => pendingScansOf(s.db, p.agency, p.officer)

/** How many scans (of every agency, in the order the workers take them: store/scans/scan-queue.ts) will be read before this one. */
export const scansAhead = (s: EdgeServices, scan: Pick<ScanState, "uploadedAt" | "id">, agency: string): Promise<number> =>
  scansAheadOf(s.db, agency, scan.id, s.now())
