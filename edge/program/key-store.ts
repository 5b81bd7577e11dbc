/**
 * The key store made ready before the program's layer is built: in
 * production it is only checked (the start is refused, in one line, without
 * PUBLIC_URL or the agency keys: edge/boot-settings.ts); in development a
 * PKI is made on first start, and the trust list is signed again by the
 * development root so it names this service and every key. Returns what the
 * Trust layer loads: the root-signed list, the root certificate, the CRL.
 */
import { hasRoot, readRootCertificate } from "../../adapters/keys/keystore.ts"
import { initPki, publishTrustList } from "../../adapters/keys/manage.ts"
import { publicationProblem, readPublished } from "../../adapters/keys/published.ts"
import type { SignedTrustList } from "../../adapters/keys/signed-trust-list.ts"
import type { x509 } from "../../adapters/keys/x509.ts"
import { productionRefusal } from "../boot-settings.ts"
import { demoAgencies } from "../demo/seed.ts"
import type { AppConfig } from "./app-config.ts"

export interface PublishedTrust {
  readonly signed: SignedTrustList
  readonly heldRoots: ReadonlyArray<x509.X509Certificate>
  readonly crl: Uint8Array | undefined
}

export const prepareKeyStore = async (config: AppConfig, now: Date): Promise<PublishedTrust> => {
  const { dir, passphrase, root } = config.keys
  const say = config.say
  const publicUrl = config.edge.publicUrl
  if (root === undefined) {
    const refusal = await productionRefusal(config.env, dir, passphrase, now)
    if (refusal !== undefined) throw new Error(refusal)
  } else {
    if (!hasRoot(dir)) {
      await initPki({ dir, rootDir: root.dir, agencies: demoAgencies.map((a) => a.code), passphrase, rootPassphrase: root.passphrase, now, serviceUrl: publicUrl })
      say(`Created a development PKI (ECDSA P-256): one signing key per agency (${demoAgencies.map((a) => a.code).join(", ")}) in ${dir}, the root's key apart in ${root.dir}.`)
    } else {
      // With the root at hand (development), the signed list is made again, so it names this service and every key.
      await publishTrustList({ dir, rootDir: root.dir, rootPassphrase: root.passphrase, passphrase, now, serviceUrl: publicUrl }).catch((e: unknown) =>
        say(`warning: the trust list was not signed again (${e instanceof Error ? e.message : String(e)}); serving the one in ${dir}`)
      )
    }
    const problem = await publicationProblem(dir, now)
    if (problem !== undefined) say(`warning: ${problem}`)
  }
  const published = readPublished(dir)
  if (published.signed === undefined) throw new Error(`there is no trust list signed by the root in ${dir}: publish one with \`bienlai keys trust-list\``)
  return { signed: published.signed, heldRoots: [readRootCertificate(dir)], crl: published.crl }
}
