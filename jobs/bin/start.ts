#!/usr/bin/env bun
/**
 * `npm start`: the edge service on Bun at PORT (default 8787), with the
 * embedded database unless DATABASE_URL is set. A first start creates the
 * development PKI and the demo data and prints the URLs and officer tokens.
 * Settings: edge/boot.ts; documentation: docs/EDGE.md.
 */
import { startOnBun } from "../../edge/bun.ts"

await startOnBun()
