/**
 * Schema validation with a real validator: libxml2's xmllint compiled to
 * WebAssembly (npm xmllint-wasm), against the official XSDs vendored in
 * adapters/bank/iso20022/xsd/. The native `xmllint --schema` (Debian's
 * libxml2-utils) is used as well where it is installed.
 */
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { memoryPages, validateXML } from "xmllint-wasm"

export const xsdDir = join(import.meta.dir, "..", "..", "adapters", "bank", "iso20022", "xsd")
export type XsdName = "pain.001.001.09" | "pain.002.001.11" | "camt.053.001.08" | "camt.054.001.08"

const schemas = new Map<XsdName, string>()
const schema = (name: XsdName): string => {
  const cached = schemas.get(name)
  if (cached !== undefined) return cached
  const text = readFileSync(join(xsdDir, `${name}.xsd`), "utf8")
  schemas.set(name, text)
  return text
}

/** The validator's errors, empty when the document is valid. */
export const xsdErrors = async (name: XsdName, xml: string): Promise<Array<string>> => {
  const result = await validateXML({
    xml: [{ fileName: "document.xml", contents: xml }],
    schema: [schema(name)],
    // Large generated files need more than the 16 MiB default.
    initialMemoryPages: 256,
    maxMemoryPages: 2 * memoryPages.GiB
  })
  return result.valid ? [] : result.errors.map((e) => e.message)
}

/** Whether Debian's xmllint is on this machine. */
export const nativeXmllint: boolean = spawnSync("xmllint", ["--version"]).status === 0

/** Native xmllint's verdict on a file, or undefined when it is not installed. */
export const nativeXsdErrors = (name: XsdName, file: string): Array<string> | undefined => {
  if (!nativeXmllint) return undefined
  const run = spawnSync("xmllint", ["--noout", "--schema", join(xsdDir, `${name}.xsd`), file], { encoding: "utf8" })
  return run.status === 0 ? [] : run.stderr.split("\n").filter((l) => l.trim() !== "" && !l.endsWith("validates"))
}
