/**
 * The Database service: the one database connection (pool) of a process,
 * opened and migrated when the layer is built and closed when it is
 * released (the ManagedRuntime's dispose on SIGTERM/SIGINT).
 *
 *   Database.layer(config)  PostgreSQL (postgres.js) when config.databaseUrl
 *                           is set, otherwise embedded PGlite in config.dataDir
 *   Database.layerOf(db)    a database someone else opened and closes (tests)
 */
import { Context, Effect, Layer } from "effect"
import { StoreUnavailable } from "../../domain/ports/receipt-store.ts"
import { type Db, errorMessage } from "./db.ts"
import { type DbConfig, describeDb, openDb } from "./open-db.ts"

export class Database extends Context.Service<Database, Db>()("bienlai/store/database/Database") {
  static readonly layer = (config: DbConfig): Layer.Layer<Database, StoreUnavailable> =>
    Layer.effect(
      Database,
      Effect.acquireRelease(
        Effect.tryPromise({
          try: () => openDb(config),
          catch: (error) => new StoreUnavailable({ operation: "opening the database", message: `cannot open ${describeDb(config)}: ${errorMessage(error)}` })
        }),
        (db) => Effect.promise(() => db.close())
      )
    )

  static readonly layerOf = (db: Db): Layer.Layer<Database> => Layer.succeed(Database, db)
}
