/** The agencies' bank accounts: each account belongs to exactly one agency. */
import type { Sql } from "../database/db.ts"

export interface BankAccountRow {
  readonly agency: string
  readonly account: string
  readonly bankBin: string | null
  readonly name: string | null
}

export const registerBankAccount = async (db: Sql, a: { agency: string; account: string; bankBin?: string; name?: string }): Promise<void> => {
  await db.query(
    `INSERT INTO bank_accounts (agency, account, bank_bin, name) VALUES ($1::text, $2::text, $3::text, $4::text)
     ON CONFLICT (agency, account) DO UPDATE SET bank_bin = EXCLUDED.bank_bin, name = EXCLUDED.name`,
    [a.agency, a.account, a.bankBin ?? null, a.name ?? null]
  )
}

/** Which agency an account belongs to, if any. */
export const accountOwner = async (db: Sql, account: string): Promise<string | undefined> =>
  (await db.query<{ agency: string }>("SELECT agency FROM bank_accounts WHERE account = $1::text", [account]))[0]?.agency

export const agencyAccounts = async (db: Sql, agency: string): Promise<Array<BankAccountRow>> =>
  (await db.query<{ agency: string; account: string; bank_bin: string | null; name: string | null }>(
    "SELECT agency, account, bank_bin, name FROM bank_accounts WHERE agency = $1::text ORDER BY account",
    [agency]
  )).map((r) => ({ agency: r.agency, account: r.account, bankBin: r.bank_bin, name: r.name }))
