/**
 * Who the operator is, for the audit of what the operator does on the server
 * (officers, ioc, notify-recipients, notify-dead): `operator:<user>@<host>`.
 */
import { hostname, userInfo } from "node:os"

export const operatorName = (): string => {
  let user = "unknown"
  try {
    user = userInfo().username
  } catch {
    // no passwd entry (some containers): the host still says where it ran
  }
  return `operator:${user}@${hostname()}`
}
