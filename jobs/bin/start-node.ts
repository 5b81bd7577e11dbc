/** `npm run start:node`: the edge on Node (`node --import tsx jobs/bin/start-node.ts`), as start.ts on Bun. */
import { serveEdge } from "../../edge/main.ts"
import { ocrWorkerInEdge } from "../ocr-worker/in-edge.ts"

await serveEdge("node", { jobs: ocrWorkerInEdge })
