/**
 * Asks for a secret (a token's PIN) on the terminal without echoing it.
 * Only when stdin is a terminal: a script sets BIENLAI_PKCS11_PIN instead.
 */
export const askHidden = (question: string, withoutTerminal = "BIENLAI_PKCS11_PIN is not set and there is no terminal to ask for the PIN"): Promise<string> =>
  new Promise((resolve, reject) => {
    const stdin = process.stdin
    if (!stdin.isTTY) {
      reject(new Error(withoutTerminal))
      return
    }
    process.stderr.write(question)
    let answer = ""
    stdin.setRawMode(true)
    stdin.resume()
    const done = (error?: Error) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off("data", onData)
      process.stderr.write("\n")
      if (error) reject(error)
      else resolve(answer)
    }
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done()
        if (ch === "\u0003") return done(new Error("cancelled"))
        if (ch === "\u007f" || ch === "\b") answer = answer.slice(0, -1)
        else answer += ch
      }
    }
    stdin.on("data", onData)
  })
