/**
 * Writes test/vectors/payout.json: payout rounds planned and approved from
 * the inputs below, with their canonical lines, planned and approved headers
 * and one creditor's notice, each with its SHA-256.
 *
 *   node_modules/.bin/bun test/vectors/generate-payout.ts
 *
 * Run it only when the payout canonical form or the allocation changes on
 * purpose (and then PAYOUT_CANONICAL_VERSION goes up if the bytes' meaning
 * changed): test/payout/canonical.test.ts fails whenever the code and the
 * committed vectors disagree.
 */
import { createHash } from "node:crypto"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { payoutVectorInputs, replay } from "../payout/vector-inputs.ts"

const sha256 = (text: string): string => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex")

const vectors = payoutVectorInputs.map((input) => {
  const { approved, linesText, plannedText, approvedText, noticeText } = replay(input)
  return {
    name: input.name,
    description: input.description,
    rounds: input.rounds,
    notice: { claim: input.notice.claim, lookupCode: input.notice.lookupCode },
    lines: linesText.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l)),
    linesText,
    linesSha256: sha256(linesText),
    planned: { header: JSON.parse(plannedText), canonical: plannedText, sha256: sha256(plannedText) },
    approved: {
      approver: approved.approval.approver,
      approvedAt: approved.approval.approvedAt,
      canonical: approvedText,
      sha256: sha256(approvedText)
    },
    noticeDocument: { content: JSON.parse(noticeText), canonical: noticeText, sha256: sha256(noticeText) }
  }
})

writeFileSync(
  join(import.meta.dir, "payout.json"),
  JSON.stringify(
    {
      description:
        "Payout canonical form test vectors; see docs/PAYOUT.md. Each vector: the rounds' inputs (claims and terms as JSON) → " +
        "the last round's lines (NDJSON) → planned header → approved header → one creditor's notice, each with its SHA-256.",
      payoutCanonicalVersion: 1,
      vectors
    },
    null,
    2
  ) + "\n"
)
