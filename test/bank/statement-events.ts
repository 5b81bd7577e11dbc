/** Reading a statement reader's events in tests: all of them, its entries, its summaries, or the refusal it ends with. */
import type { BankFileRefused, StatementEntry, StatementEvent, StatementSummary } from "../../domain/bank/statement.ts"

export const collect = async (events: AsyncIterable<StatementEvent>): Promise<Array<StatementEvent>> => {
  const all: Array<StatementEvent> = []
  for await (const e of events) all.push(e)
  return all
}
export const entries = (es: ReadonlyArray<StatementEvent>): Array<StatementEntry> => es.flatMap((e) => (e.type === "entry" ? [e.entry] : []))
export const summaries = (es: ReadonlyArray<StatementEvent>): Array<StatementSummary> => es.flatMap((e) => (e.type === "end" ? [e.summary] : []))

/** The BankFileRefused the reader ends with; any other outcome fails the test. */
export const refusal = async (events: AsyncIterable<StatementEvent>): Promise<BankFileRefused> => {
  try {
    await collect(events)
  } catch (e) {
    if ((e as { _tag?: string })._tag === "BankFileRefused") return e as BankFileRefused
    throw e
  }
  throw new Error("expected the statement to be refused")
}
