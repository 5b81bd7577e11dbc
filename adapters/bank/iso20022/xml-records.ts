/**
 * Streaming reading of ISO 20022 XML with saxes: the document is never held
 * whole. The reader names "containers" (elements whose children can be
 * countless, such as a statement with its entries); every other element whose
 * parent is a container is a "record", built as a small tree and handed over
 * when it closes, then dropped. So memory holds one entry at a time, whatever
 * the file's size.
 *
 * Malformed XML, a DOCTYPE (never needed, and the door to entity tricks) and
 * a root that is not an ISO 20022 Document of the expected message are refused
 * with the line, the column and the element path.
 */
import { SaxesParser, type SaxesTagPlain } from "saxes"
import { BankFileRefused } from "../../../domain/bank/statement.ts"

export interface XmlNode {
  readonly name: string
  readonly attributes: Readonly<Record<string, string>>
  text: string
  readonly children: Array<XmlNode>
  readonly line: number
}

// Plain loops: these run for every field of every entry of a million-entry file.
/** The first child with this local name. */
export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined => {
  if (node === undefined) return undefined
  const children = node.children
  for (let i = 0; i < children.length; i++) if ((children[i] as XmlNode).name === name) return children[i]
  return undefined
}
export const childrenNamed = (node: XmlNode | undefined, name: string): Array<XmlNode> => node?.children.filter((c) => c.name === name) ?? []
/** Follows a path of local names from a node. */
export const at = (node: XmlNode | undefined, ...path: ReadonlyArray<string>): XmlNode | undefined => {
  let n = node
  for (let i = 0; i < path.length && n !== undefined; i++) n = child(n, path[i] as string)
  return n
}
/** The trimmed text at a path, or undefined when absent or empty. */
export const textAt = (node: XmlNode | undefined, ...path: ReadonlyArray<string>): string | undefined => {
  const t = at(node, ...path)?.text.trim()
  return t === undefined || t === "" ? undefined : t
}

export interface RecordHandler {
  /** Container path such as ["Document", "BkToCstmrStmt", "Stmt"]: is this element a container? */
  readonly isContainer: (path: ReadonlyArray<string>) => boolean
  readonly openContainer?: (path: ReadonlyArray<string>, where: string, line: number) => void
  readonly closeContainer?: (path: ReadonlyArray<string>, where: string, line: number) => void
  /** A record has closed. `where` is its path with positions, e.g. "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]". */
  readonly record: (path: ReadonlyArray<string>, node: XmlNode, where: string) => void
}

export interface XmlMessage {
  /** "camt.053", for messages. */
  readonly format: string
  /** The root's namespace must match, e.g. /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(0[2-9]|1[0-3])$/. */
  readonly namespace: RegExp
  /** How to name the expected namespaces in a message. */
  readonly expected: string
}

const noAttributes: Record<string, string> = Object.freeze({}) as Record<string, string>

interface Frame {
  readonly name: string
  readonly where: string
  readonly container: true
  readonly counts: Map<string, number>
}

/**
 * Reads XML chunks, calling the handler; after each chunk the handler's
 * output can be drained, which is what keeps memory flat.
 */
export const createRecordReader = (message: XmlMessage, handler: RecordHandler) => {
  // Namespace processing is left off (it costs a third of the parse): ISO 20022
  // messages live in one namespace, which is checked on the root, and every
  // element is matched by its local name whatever its prefix.
  const parser = new SaxesParser({ xmlns: false, position: true })
  const frames: Array<Frame> = []
  const path: Array<string> = []
  // The record being built: its root node and the stack of open nodes inside it.
  let nodes: Array<XmlNode> = []
  let recordRoot: { node: XmlNode; where: string; path: ReadonlyArray<string> } | undefined
  let sawRoot = false

  const refuse = (where: string, problem: string): never => {
    throw new BankFileRefused({ format: message.format, where, message: `${message.format} ${where} (line ${parser.line}): ${problem}` })
  }
  // Inside a record only the node stack moves; paths with positions are kept for containers and records alone.
  const whereNow = () =>
    recordRoot === undefined ? frames.at(-1)?.where ?? "document" : [recordRoot.where, ...nodes.slice(1).map((n) => n.name)].join("/")

  parser.on("error", (e) => {
    refuse(whereNow(), `the XML is malformed: ${e.message.replace(/^[^:]*:\d+:\d+: /, "")}`)
  })
  parser.on("doctype", () => {
    refuse("document", "a DOCTYPE declaration is not allowed in a bank file")
  })
  parser.on("opentag", (tag) => {
    const t = tag as SaxesTagPlain
    const colon = t.name.indexOf(":")
    const local = colon < 0 ? t.name : t.name.slice(colon + 1)
    // Few elements carry attributes (Amt's Ccy): most share one empty object.
    const keys = Object.keys(t.attributes)
    let attributes: Record<string, string> = noAttributes
    if (keys.length > 0) {
      attributes = {}
      for (const key of keys) {
        if (key !== "xmlns" && !key.startsWith("xmlns:")) attributes[key.slice(key.indexOf(":") + 1)] = t.attributes[key] as string
      }
    }
    if (recordRoot !== undefined) {
      const node: XmlNode = { name: local, attributes, text: "", children: [], line: parser.line }
      ;(nodes[nodes.length - 1] as XmlNode).children.push(node)
      nodes.push(node)
      return
    }
    const parent = frames.at(-1)
    if (parent === undefined) {
      if (sawRoot) refuse(local, "there is more than one root element")
      sawRoot = true
      const uri = (colon < 0 ? t.attributes.xmlns : t.attributes[`xmlns:${t.name.slice(0, colon)}`]) as string | undefined
      if (local !== "Document" || uri === undefined || !message.namespace.test(uri)) {
        refuse(local, `the root element is {${uri ?? "no namespace"}}${local}; a ${message.format} file is a Document in namespace ${message.expected}`)
      }
    }
    const n = (parent?.counts.get(local) ?? 0) + 1
    parent?.counts.set(local, n)
    // Positions are shown where elements repeat: under a container below the root, or from the second of a name.
    const indexed = n > 1 || (parent?.container === true && frames.length > 1)
    const where = parent === undefined ? local : `${parent.where}/${local}${indexed ? `[${n}]` : ""}`
    path.push(local)
    if (handler.isContainer(path)) {
      frames.push({ name: local, where, container: true, counts: new Map() })
      handler.openContainer?.(path, where, parser.line)
      return
    }
    const node: XmlNode = { name: local, attributes, text: "", children: [], line: parser.line }
    recordRoot = { node, where, path: [...path] }
    nodes.push(node)
  })
  parser.on("text", (text) => {
    const node = nodes[nodes.length - 1]
    if (node !== undefined) node.text += text
    else if (text.trim() !== "") refuse(whereNow(), `unexpected text ${JSON.stringify(text.trim().slice(0, 40))}`)
  })
  parser.on("closetag", () => {
    if (nodes.length > 0) {
      nodes.pop()
      if (nodes.length === 0 && recordRoot !== undefined) {
        const r = recordRoot
        recordRoot = undefined
        path.pop()
        handler.record(r.path, r.node, r.where)
      }
      return
    }
    const frame = frames.pop()
    if (frame !== undefined) handler.closeContainer?.(path, frame.where, parser.line)
    path.pop()
  })

  return {
    write: (chunk: string) => {
      parser.write(chunk)
    },
    close: () => {
      if (!sawRoot) refuse("document", "the file holds no XML element")
      parser.close()
    }
  }
}

/** Text chunks from bytes or text, decoding UTF-8 across chunk boundaries. */
export async function* textChunks(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true })
  for await (const chunk of source) {
    yield typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true })
  }
  const rest = decoder.decode()
  if (rest !== "") yield rest
}
