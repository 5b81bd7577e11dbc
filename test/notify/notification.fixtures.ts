/**
 * Notifications about the test receipt of test/domain/receipt.fixtures.ts
 * (payer Nguyễn Văn An, CCCD 079085001234), on each channel.
 */
import { Result } from "effect"
import type { Channel, Notification } from "../../domain/notifications/notification.ts"
import { receiptNotification } from "../../domain/notifications/notification.ts"
import { decodeReceipt, type IssuedReceipt } from "../../domain/receipt.ts"
import { issuedJson } from "../domain/receipt.fixtures.ts"

export const receipt = Result.getOrThrow(decodeReceipt(issuedJson)) as IssuedReceipt
export const PAYER_ID = "079085001234"
export const LINK = "https://tracuu.thads.example.vn/v/HC1-AbCdEf0123456789"
export const HASH = "sha256:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"

let counter = 0
/** A fresh UUID-shaped id per call, deterministic across runs. */
export const nextId = (): string => `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}`

export const notificationFor = (channel: Channel, recipient: string, id = nextId()): Notification =>
  Result.getOrThrow(
    receiptNotification(receipt, {
      id,
      event: "receipt.issued",
      occurredAt: receipt.issuedAt,
      channel,
      recipient,
      link: LINK,
      documentHash: HASH
    })
  )
