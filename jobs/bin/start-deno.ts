/**
 * `npm run start:deno` or `deno task start` (deno.json): the edge on Deno,
 * as start.ts on Bun. Both run
 *
 *   deno run --allow-net --allow-env --allow-read --allow-write --allow-ffi --allow-sys jobs/bin/start-deno.ts
 */
import { serveEdge } from "../../edge/main.ts"
import { backgroundJobs } from "./background-jobs.ts"

await serveEdge("deno", { jobs: backgroundJobs })
