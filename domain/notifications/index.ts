/**
 * Telling people (docs/NOTIFICATIONS.md): the notification and its texts,
 * the channel port and the Notifier, and the delivery policy.
 */
export * from "./notification.ts"
export * from "./channel.ts"
export * from "./delivery-policy.ts"
export * from "./recipient.ts"
