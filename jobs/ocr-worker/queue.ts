/**
 * The OCR queue as the worker uses it. Its SQL lives in store/scans/scan-queue.ts
 * (every SQL statement of the program is in store/); see there for the
 * claim's fairness between agencies, the leases and the limits.
 */
export {
  claimScans,
  type ClaimedScan,
  defaultQueueOptions,
  failScan,
  finishScan,
  type QueueOptions,
  renewLease,
  scanStatus,
  type ScanStatus
} from "../../store/scans/scan-queue.ts"
