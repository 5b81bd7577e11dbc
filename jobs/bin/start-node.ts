/** `npm run start:node`: the edge on Node (`node --import tsx jobs/bin/start-node.ts`), as start.ts on Bun. */
import { serveEdge } from "../../edge/main.ts"
import { backgroundJobs } from "./background-jobs.ts"

await serveEdge("node", { jobs: backgroundJobs })
