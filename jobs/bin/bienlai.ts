#!/usr/bin/env bun
/**
 * The `bienlai` command line. Each command lives in its own file under
 * jobs/cli/ and exports `summary` (one line for the help) and
 * `run(args, runtime): Promise<number>` (the exit code). The process has one
 * ManagedRuntime (jobs/program/cli-runtime.ts), disposed when the command ends.
 */
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { cliRuntime, type CliRuntime } from "../program/cli-runtime.ts"

type Command = { readonly summary: string; readonly run: (args: ReadonlyArray<string>, runtime: CliRuntime) => Promise<number> }

const cliDir = fileURLToPath(new URL("../cli/", import.meta.url))

const commandNames = (): Array<string> =>
  readdirSync(cliDir)
    .filter((f) => /^[a-z][a-z-]*\.ts$/.test(f))
    .map((f) => f.slice(0, -3))
    .sort()

const load = async (name: string): Promise<Command> =>
  (await import(new URL(`../cli/${name}.ts`, import.meta.url).href)) as Command

const help = async (): Promise<string> => {
  const lines = ["usage: bienlai <command> [options]", "", "commands:"]
  const names = commandNames()
  const width = Math.max(...names.map((n) => n.length))
  for (const name of names) lines.push(`  ${name.padEnd(width)}  ${(await load(name)).summary}`)
  lines.push("", "Run `bienlai <command> --help` for a command's options.")
  return lines.join("\n")
}

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [name, ...rest] = argv
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(await help())
    return name === undefined ? 2 : 0
  }
  if (!commandNames().includes(name)) {
    console.error(`bienlai: unknown command "${name}"\n\n${await help()}`)
    return 2
  }
  const command = await load(name)
  const runtime = cliRuntime(process.env)
  try {
    return await command.run(rest, runtime)
  } finally {
    await runtime.dispose()
  }
}

process.exitCode = await main(process.argv.slice(2))
