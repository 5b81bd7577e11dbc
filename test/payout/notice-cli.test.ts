/**
 * `bienlai verify` with a payout notice's QR (token, URL, image), run as a
 * user runs it: a notice signed by the key store's agency key says what it
 * is (payout notice: case, round, amount, agency, state), exits 0 only with
 * a fresh notice status list, 3 without; a tampered token exits 1; a QR on
 * another host than the configured service is warned about.
 */
import { describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Layer, Result } from "effect"
import { signNoticeStatus, signNoticeToken } from "../../domain/payout/notice-sign.ts"
import { decodeBase45, encodeBase45 } from "../../domain/signing/base45.ts"
import { qrContent } from "../../domain/signing/url.ts"
import { KeyStoreSigner } from "../../adapters/keys/signer.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import { run } from "../signing/fixtures.ts"

const root = join(import.meta.dir, "..", "..")
const dir = mkdtempSync(join(tmpdir(), "bienlai-notice-"))
const keys = join(dir, "keys")
const passphrase = "mật-khẩu-thử-nghiệm-đủ-dài"
const env = { ...process.env, BIENLAI_KEY_PASSPHRASE: passphrase, BIENLAI_ROOT_PASSPHRASE: `${passphrase} (root)`, BIENLAI_KEYS_DIR: keys, BIENLAI_SERVICE_URL: "https://bienlai.thads.moj.gov.vn" }
const cli = (args: ReadonlyArray<string>) => spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), ...args], { encoding: "utf8", env })

describe("bienlai verify with a payout notice", () => {
  test("says what it is and its state; valid only with a fresh notice status list; tampering fails; a foreign host is warned about", async () => {
    expect(cli(["keys", "init", "--agencies", "HCM"]).status).toBe(0)
    const signer = Layer.orDie(KeyStoreSigner.layer({ dir: keys, passphrase }))
    const now = new Date(Math.floor(Date.now() / 1000) * 1000)
    const token = await run(signNoticeToken({
      agency: "HCM", caseDecision: "3699/QĐ-CTHADS", round: 8, firstLine: 3, lineCount: 2, approvedAt: now.toISOString(),
      amount: 5_756_230n, fee: 0n, maskedName: "Nguyễn V. H.", noticeHash: new Uint8Array(16).fill(9)
    }), signer)

    const unknown = cli(["verify", token, "--offline"])
    expect(unknown.stdout).toContain("AUTHENTIC PAYOUT NOTICE, STATUS UNKNOWN")
    expect(unknown.stdout).toContain("3699/QĐ-CTHADS")
    expect(unknown.status).toBe(3)

    const list = join(dir, "round-8.bin")
    writeFileSync(list, await run(signNoticeStatus({
      agency: "HCM", caseDecision: "3699/QĐ-CTHADS", round: 8, issuedAt: now.toISOString(), freshForSeconds: 600, states: ["paid", "paid", "returned", "paid"]
    }), signer))
    const ok = cli(["verify", token, "--offline", "--status", dir])
    expect(ok.stdout).toContain("VALID PAYOUT NOTICE")
    expect(ok.stdout).toContain("payout notice (giấy báo nhận tiền)")
    expect(ok.stdout).toContain("5756230 đồng")
    expect(ok.stdout).toContain("status     returned (lines: returned, paid)")
    expect(ok.status).toBe(0)

    // The same through the QR's URL and its image, as JSON.
    const image = join(dir, "notice.png")
    writeFileSync(image, await qrPng(qrContent("https://bienlai.thads.moj.gov.vn", token)))
    const json = cli(["verify", image, "--offline", "--json", "--status", list])
    expect(JSON.parse(json.stdout)).toMatchObject({ result: "Valid", kind: "payout-notice", state: "returned", notice: { round: 8, amount: "5756230", agency: "HCM" }, qrHost: "bienlai.thads.moj.gov.vn" })

    // A copy of the genuine QR behind another host: warned about, whatever the signature says.
    const foreign = cli(["verify", qrContent("https://bienlai-thads.example", token), "--offline", "--status", list])
    expect(foreign.stdout).toContain("CẢNH BÁO / WARNING: the QR code points to bienlai-thads.example")

    // One changed bit: not valid.
    const bytes = Result.getOrThrow(decodeBase45(token))
    bytes[12]! ^= 0x04
    const forged = cli(["verify", encodeBase45(bytes), "--offline", "--status", list])
    expect(forged.status).toBe(1)
    expect(forged.stdout).not.toContain("VALID PAYOUT NOTICE")
  }, 120_000)
})
