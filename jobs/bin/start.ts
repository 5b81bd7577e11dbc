#!/usr/bin/env bun
/**
 * `npm start`: the edge service on Bun at PORT (default 8787), with the
 * embedded database unless DATABASE_URL is set, and the OCR worker in the
 * same process, and the notification dispatcher. A first start creates the development PKI and the demo data
 * and prints the URLs and officer tokens. Settings: edge/program/app-config.ts;
 * documentation: docs/EDGE.md. The same on Node (start-node.ts) and Deno
 * (start-deno.ts).
 */
import { serveEdge } from "../../edge/main.ts"
import { backgroundJobs } from "./background-jobs.ts"

await serveEdge("bun", { jobs: backgroundJobs })
