/**
 * The command line's one ManagedRuntime (jobs/bin/bienlai.ts makes it, hands
 * it to the command, and disposes it when the command ends). Its layer is
 * built on first use, so `bienlai keys` or `bienlai version` open nothing;
 * a command that needs the database asks the runtime for it and never
 * closes it itself.
 *
 *   Database   DATABASE_URL or embedded PGlite in BIENLAI_DATA (store/database/database.ts)
 *   Entropy    the platform's CSPRNG (adapters/system/entropy.ts)
 *   OcrEngine  tesseract.js pools (adapters/ocr/engine.ts)
 *   Clock      Effect's own
 */
import { Layer, ManagedRuntime } from "effect"
import type { Entropy } from "../../domain/ports/entropy.ts"
import { OcrEngine } from "../../adapters/ocr/engine.ts"
import { SystemEntropy } from "../../adapters/system/entropy.ts"
import { Database } from "../../store/database/database.ts"
import { dbConfigFromEnv } from "../../store/database/open-db.ts"

export type CliServices = Database | Entropy | OcrEngine

export type CliRuntime = ManagedRuntime.ManagedRuntime<CliServices, unknown>

export const cliLayer = (env: Readonly<Record<string, string | undefined>>): Layer.Layer<CliServices, unknown> =>
  Layer.mergeAll(Database.layer(dbConfigFromEnv(env)), SystemEntropy.layer, OcrEngine.layer)

export const cliRuntime = (env: Readonly<Record<string, string | undefined>> = process.env): CliRuntime => ManagedRuntime.make(cliLayer(env))

/** The runtime's database, or the reason it cannot be opened. */
export const databaseOf = async (runtime: CliRuntime): Promise<Database["Service"]> => runtime.runPromise(Database)
