// The load generator for bench/edge.ts, run by Node in its own process so
// that it does not share the server's event loop. Reads { url, paths,
// connections, seconds } as JSON from the file named by argv[2], cycles through the paths
// (many distinct tokens), prints autocannon's summary as one JSON line.
import { readFileSync, rmSync } from "node:fs"
import autocannon from "autocannon"

const { url, paths, connections, seconds } = JSON.parse(readFileSync(process.argv[2], "utf8"))
rmSync(process.argv[2], { force: true })
let i = 0
const result = await autocannon({
  url,
  connections,
  duration: seconds,
  requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }]
})
console.log(JSON.stringify({
  rps: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts
}))
