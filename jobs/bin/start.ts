#!/usr/bin/env bun
/**
 * `npm start`: the edge service on Bun at PORT (default 8787), with the
 * embedded database unless DATABASE_URL is set. A first start creates the
 * development PKI and the demo data and prints the URLs and officer tokens.
 * Settings: edge/boot.ts; documentation: docs/EDGE.md. A failure to start is
 * one clear line and exit code 1, never a stack trace.
 */
import { startFailureLine, startOnBun } from "../../edge/bun.ts"

try {
  await startOnBun()
} catch (e) {
  console.error(startFailureLine(e, process.env))
  process.exit(1)
}
