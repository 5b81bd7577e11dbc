/**
 * The key store's snapshot and its reload (edge/program/key-snapshot.ts,
 * key-reload.ts) on a real key store made by `bienlai keys`' own functions:
 * a new key signs once the published list names it; each bad state (a
 * tampered list or CRL, a certificate that does not chain to the root, a
 * certificate the list names but refuses) is refused whole, with one error
 * naming it, and the keys loaded before go on signing; a reload that finds
 * nothing changed does nothing; concurrent reloads are one.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { Effect } from "effect"
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { addAgencyKey, initPki, publishTrustList, revokeKey } from "../../adapters/keys/manage.ts"
import { createRoot, issueAgencyCertificate } from "../../adapters/keys/pki.ts"
import { saveAgencyKey } from "../../adapters/keys/keystore.ts"
import { fastestVerifier } from "../../adapters/verify/fastest.ts"
import { makeKeyReloader } from "../../edge/program/key-reload.ts"
import { keyDirFingerprint, KeySnapshotRefused, loadKeySnapshot } from "../../edge/program/key-snapshot.ts"

const passphrase = "reload-test-passphrase-0123456789"
const dirs: Array<string> = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const keyStore = async () => {
  const base = mkdtempSync(join(tmpdir(), "bienlai-reload-"))
  dirs.push(base)
  const dir = join(base, "keys")
  const rootDir = join(base, "root")
  await initPki({ dir, rootDir, agencies: ["HCM"], passphrase, rootPassphrase: passphrase, now: new Date() })
  const publish = () => publishTrustList({ dir, rootDir, rootPassphrase: passphrase, now: new Date() })
  return { dir, rootDir, publish }
}

const sealKeyOf = async (signer: Awaited<ReturnType<typeof loadKeySnapshot>>["signer"]) =>
  (await Effect.runPromise(signer.sign("HCM", new Uint8Array([1, 2, 3])))).keyId

const recorder = () => {
  const errors: Array<{ fields: object; msg: string }> = []
  const infos: Array<{ fields: object; msg: string }> = []
  return { errors, infos, log: { info: (fields: object, msg: string) => void infos.push({ fields, msg }), error: (fields: object, msg: string) => void errors.push({ fields, msg }) } }
}

const load = (dir: string) => loadKeySnapshot({ dir, passphrase, verifier: fastestVerifier(), now: new Date() })

describe("the key snapshot", () => {
  test("a new key signs only once the published trust list names it; a revoked one never again", async () => {
    const { dir, rootDir, publish } = await keyStore()
    const first = await load(dir)
    const oldKey = await sealKeyOf(first.signer)
    const newKey = await addAgencyKey({ dir, rootDir, agency: "HCM", passphrase, rootPassphrase: passphrase, now: new Date() })
    const unpublished = await load(dir)
    expect(await sealKeyOf(unpublished.signer)).toBe(oldKey)
    expect(unpublished.waiting).toEqual([{ agency: "HCM", keyId: newKey }])
    await publish()
    const published = await load(dir)
    expect(await sealKeyOf(published.signer)).toBe(newKey)
    expect(published.signing).toContainEqual({ agency: "HCM", purpose: "seal", keyId: newKey })
    // Revoke the new one: the old one signs again, at once (revoked.json), even before the list says so.
    await revokeKey({ dir, keyId: newKey, reason: "keyCompromise", now: new Date() })
    expect(await sealKeyOf((await load(dir)).signer)).toBe(oldKey)
  })

  test("a tampered trust list, a tampered CRL, a certificate that does not chain: each refused, naming it", async () => {
    const { dir, publish } = await keyStore()
    const listPath = join(dir, "trust-list.json")
    const good = readFileSync(listPath, "utf8")
    const signed = JSON.parse(good) as { payload: string }
    const list = JSON.parse(Buffer.from(signed.payload, "base64url").toString("utf8")) as { issuedAt: string }
    writeFileSync(listPath, JSON.stringify({ ...signed, payload: Buffer.from(JSON.stringify({ ...list, issuedAt: "2099-01-01T00:00:00.000Z" })).toString("base64url") }))
    await expect(load(dir)).rejects.toThrow(/the trust list in .* is refused/)
    writeFileSync(listPath, good)

    const crlPath = join(dir, "revoked.crl")
    const crl = readFileSync(crlPath)
    const altered = Buffer.from(crl)
    altered[altered.length - 5] = (altered[altered.length - 5] ?? 0) ^ 1
    writeFileSync(crlPath, altered)
    await expect(load(dir)).rejects.toThrow(/CRL .* is not signed by the root/)
    writeFileSync(crlPath, crl)

    // A certificate of another root, put in the key store with its key.
    const stranger = await createRoot({ algorithm: "ECDSA-P256", notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000 * 365) })
    const foreign = await issueAgencyCertificate({ root: stranger, agency: "HCM", algorithm: "ECDSA-P256", notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000 * 365) })
    await saveAgencyKey(dir, "HCM", foreign, passphrase)
    const refused = await load(dir).then(() => "loaded", (e: unknown) => e)
    expect(refused).toBeInstanceOf(KeySnapshotRefused)
    expect(String((refused as Error).message)).toContain(`certificate ${foreign.keyId} of HCM does not chain to the root`)
    // Publishing does not make it chain.
    await publish()
    await expect(load(dir)).rejects.toThrow(foreign.keyId)
  })
})

describe("the reloader", () => {
  test("swaps on a change, keeps the old keys on a refused state and says so once, and shares one reload between callers", async () => {
    const { dir, rootDir, publish } = await keyStore()
    const { errors, infos, log } = recorder()
    const reloader = await makeKeyReloader({ dir, passphrase, intervalSeconds: 0 }, { verifier: fastestVerifier(), now: () => new Date(), log })
    const oldKey = await sealKeyOf(reloader.current().signer)
    expect(await reloader.reload("timer")).toBe("unchanged")

    const newKey = await addAgencyKey({ dir, rootDir, agency: "HCM", passphrase, rootPassphrase: passphrase, now: new Date() })
    await publish()
    const [a, b] = await Promise.all([reloader.reload("timer"), reloader.reload("SIGHUP")])
    expect([a, b]).toEqual(["reloaded", "reloaded"])
    expect(infos.filter((i) => i.msg === "keys reloaded")).toHaveLength(1)
    expect(await sealKeyOf(reloader.current().signer)).toBe(newKey)
    const before = reloader.current()

    // Tampered: refused, one error whatever the number of ticks, the keys loaded before still sign.
    const listPath = join(dir, "trust-list.json")
    copyFileSync(listPath, `${listPath}.good`)
    const signed = JSON.parse(readFileSync(listPath, "utf8")) as { payload: string; signature: string }
    writeFileSync(listPath, JSON.stringify({ ...signed, signature: signed.signature.replace(/^./, (c) => (c === "A" ? "B" : "A")) }))
    for (let i = 0; i < 3; i++) expect(await reloader.reload("timer")).toBe("refused")
    expect(errors).toHaveLength(1)
    expect(JSON.stringify(errors[0])).toContain("trust list")
    expect(reloader.current()).toBe(before)
    expect(await sealKeyOf(reloader.current().signer)).toBe(newKey)
    expect(before.signing.map((s) => s.keyId)).not.toContain(oldKey)

    // Put right: the next tick reloads.
    copyFileSync(`${listPath}.good`, listPath)
    expect(keyDirFingerprint(dir)).not.toBe("")
    expect(await reloader.reload("timer")).toBe("reloaded")
    expect(reloader.current()).not.toBe(before)
  })
})
