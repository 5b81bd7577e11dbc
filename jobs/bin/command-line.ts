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

/**
 * How a command refuses: `bienlai COMMAND: message` on stderr and the exit
 * code back; with the usage when the command line itself is wrong (code 2,
 * the default), without it when the work failed (any other code).
 */
export const commandFailure = (command: string, usage: string) => (message: string, code = 2): number => {
  console.error(`bienlai ${command}: ${message}${code === 2 ? `\n\n${usage}` : ""}`)
  return code
}

/** Whether `code` is an agency code: 2–16 capital letters or digits, starting with a letter (HCM, TW). */
export const isAgencyCode = (code: string | undefined): code is string => code !== undefined && /^[A-Z][A-Z0-9]{1,15}$/.test(code)
