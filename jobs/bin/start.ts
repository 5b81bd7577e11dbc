#!/usr/bin/env bun
/**
 * `npm start`. Until the edge service lands this prints what bienlai offers
 * and exits cleanly; the edge issue turns it into the HTTP service.
 */
import pkg from "../../package.json" with { type: "json" }

console.log(`bienlai ${pkg.version}: electronic receipts for civil judgment enforcement`)
console.log("The command line is ready: `npx bienlai --help`.")
