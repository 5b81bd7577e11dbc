/**
 * What the tests that run `npm start`'s program (jobs/bin/start.ts) as a
 * process share: a free port for it, and a key store made the way the README
 * says, by `bienlai keys init`.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process"
import { createServer } from "node:net"
import { join } from "node:path"

/** The repository, where the program is started from. */
export const root = join(import.meta.dir, "..", "..")
/** The Bun of the repository, which runs the program. */
export const bun = join(root, "node_modules", ".bin", "bun")

/** A port free on IPv6 and IPv4 (the program holds both), found by asking the system for one. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "::", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** `bienlai keys init --dir DIR/keys` under `passphrase`; the caller checks its exit status. */
export const initKeyStore = (dir: string, passphrase: string, env: Record<string, string> = {}): SpawnSyncReturns<string> =>
  spawnSync(bun, [join(root, "jobs/bin/bienlai.ts"), "keys", "init", "--dir", join(dir, "keys")], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, BIENLAI_KEY_PASSPHRASE: passphrase, ...env }
  })
