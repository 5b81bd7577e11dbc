/**
 * How every `bienlai` command reads its flags: a usage error prints what is
 * wrong and the usage (exit code 2), `--help` / `-h` prints the usage (exit
 * code 0). A number back means "exit with it"; anything else is the parsed
 * command line.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util"

const help = { help: { type: "boolean", short: "h" } } as const

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: Array<string>; options: O & typeof help; allowPositionals: true; strict: true }>
>

export interface CommandLine<O extends ParseArgsOptionsConfig> {
  readonly values: Parsed<O>["values"]
  readonly positionals: ReadonlyArray<string>
}

export const readCommandLine = <const O extends ParseArgsOptionsConfig>(
  command: string,
  usage: string,
  args: ReadonlyArray<string>,
  options: O
): CommandLine<O> | number => {
  let parsed: Parsed<O>
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, ...help }, allowPositionals: true, strict: true })
  } catch (error) {
    console.error(`bienlai ${command}: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`)
    return 2
  }
  if ((parsed.values as { readonly help?: boolean }).help === true) {
    console.log(usage)
    return 0
  }
  return { values: parsed.values, positionals: parsed.positionals }
}
