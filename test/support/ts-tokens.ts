/**
 * A small TypeScript tokenizer for the architecture test: just enough to
 * tell code from comments, string literals, template literals and regular
 * expressions, with each token's offset. The installed TypeScript (7, the
 * native compiler) has no JavaScript parser API, and a regular expression
 * over the raw text cannot tell `"SELECT ..."` in a string from the same
 * words in a comment. The test checks this tokenizer against Bun's own
 * import scanner on every file of the repository.
 */

export type Token =
  | { readonly kind: "word"; readonly text: string; readonly pos: number }
  | { readonly kind: "punct"; readonly text: string; readonly pos: number }
  /** A quoted string or a template literal; `text` is its literal text (a template's parts joined, `${…}` left out). */
  | { readonly kind: "string"; readonly text: string; readonly pos: number; readonly template: boolean }
  | { readonly kind: "regex"; readonly text: string; readonly pos: number }

// After these a `/` starts a regular expression; after anything else it divides.
const regexAfterPunct = new Set(["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^"])
const regexAfterWord = new Set(["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await"])

const isIdentStart = (c: string) => /[A-Za-z_$\u00c0-\uffff]/.test(c)
const isIdent = (c: string) => /[\w$\u00c0-\uffff]/.test(c)

export const tokenize = (source: string): Array<Token> => {
  const tokens: Array<Token> = []
  let i = 0

  const regexAllowed = (): boolean => {
    const last = tokens[tokens.length - 1]
    if (last === undefined) return true
    if (last.kind === "punct") return regexAfterPunct.has(last.text)
    if (last.kind === "word") return regexAfterWord.has(last.text)
    return false
  }

  const quoted = (quote: string): string => {
    const start = i
    i++
    let text = ""
    while (i < source.length && source[i] !== quote && source[i] !== "\n") {
      if (source[i] === "\\") {
        text += source.slice(i, i + 2)
        i += 2
      } else text += source[i++]
    }
    i++
    void start
    return text
  }

  // A template literal from its backtick; the code inside `${…}` is tokenized too, so nested strings count.
  const template = (): string => {
    i++
    let text = ""
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") {
        text += source.slice(i, i + 2)
        i += 2
      } else if (source[i] === "$" && source[i + 1] === "{") {
        i += 2
        code(true)
        i++ // the closing brace
      } else text += source[i++]
    }
    i++
    return text
  }

  // Tokens until the end, or (inside `${…}`) until the brace that closes it.
  const code = (inTemplate: boolean): void => {
    let depth = 0
    while (i < source.length) {
      const c = source[i] as string
      const next = source[i + 1]
      if (/\s/.test(c)) i++
      else if (c === "/" && next === "/") {
        while (i < source.length && source[i] !== "\n") i++
      } else if (c === "/" && next === "*") {
        const end = source.indexOf("*/", i + 2)
        i = end < 0 ? source.length : end + 2
      } else if (c === "'" || c === '"') {
        const pos = i
        tokens.push({ kind: "string", text: quoted(c), pos, template: false })
      } else if (c === "`") {
        const pos = i
        tokens.push({ kind: "string", text: template(), pos, template: true })
      } else if (c === "/" && regexAllowed()) {
        const pos = i
        i++
        let inClass = false
        while (i < source.length && source[i] !== "\n") {
          const r = source[i]
          if (r === "\\") i += 2
          else {
            if (r === "[") inClass = true
            else if (r === "]") inClass = false
            else if (r === "/" && !inClass) break
            i++
          }
        }
        i++
        while (i < source.length && /[a-z]/.test(source[i] as string)) i++
        tokens.push({ kind: "regex", text: source.slice(pos, i), pos })
      } else if (isIdentStart(c) || /\d/.test(c)) {
        const pos = i
        while (i < source.length && isIdent(source[i] as string)) i++
        tokens.push({ kind: "word", text: source.slice(pos, i), pos })
      } else {
        if (c === "{") depth++
        if (c === "}") {
          if (inTemplate && depth === 0) return
          depth--
        }
        tokens.push({ kind: "punct", text: c, pos: i })
        i++
      }
    }
  }

  if (source.startsWith("#!")) while (i < source.length && source[i] !== "\n") i++
  code(false)
  return tokens
}

/** 1-based line of an offset. */
export const lineAt = (source: string, pos: number): number => {
  let line = 1
  for (let k = 0; k < pos && k < source.length; k++) if (source.charCodeAt(k) === 10) line++
  return line
}
