import pkg from "../../package.json" with { type: "json" }

export const summary = "print the version of bienlai"

export const run = async (): Promise<number> => {
  console.log(`bienlai ${pkg.version}`)
  return 0
}
