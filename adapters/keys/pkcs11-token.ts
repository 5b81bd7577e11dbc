/**
 * A PKCS#11 token (USB token, smart card or HSM) through graphene-pk11, the
 * maintained binding of PeculiarVentures over pkcs11js: open a module, find
 * a token by its label, log in with the user PIN, find, generate and use
 * keys. Everything here is synchronous in the binding; callers wrap it.
 *
 * Mechanisms are the ones every token has: ECDSA P-256 signs with CKM_ECDSA
 * over a SHA-256 computed here (SoftHSM2 2.6 and many tokens lack
 * CKM_ECDSA_SHA256) and returns r‖s; RSA-PSS signs with
 * CKM_SHA256_RSA_PKCS_PSS (MGF1-SHA-256, 32-byte salt).
 *
 * Errors are `TokenError`s with a reason and a message that names the
 * module, the token and the key, never the PIN.
 */
import { createHash, createPublicKey } from "node:crypto"
import * as graphene from "graphene-pk11"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { RSA_PSS_SALT_BYTES } from "../../domain/signing/trust.ts"
import type { TokenKeyReference } from "./keystore.ts"

export type TokenErrorReason = "module" | "no_token" | "wrong_pin" | "pin_locked" | "no_key" | "ambiguous_key" | "unsupported" | "device"

export class TokenError extends Error {
  readonly reason: TokenErrorReason
  constructor(reason: TokenErrorReason, message: string) {
    super(message)
    this.reason = reason
  }
}

const codeOf = (e: unknown): string => {
  const text = e instanceof Error ? e.message : String(e)
  return /CKR_[A-Z_]+/.exec(text)?.[0] ?? text.split("\n")[0]!.slice(0, 120)
}

// A module is loaded and initialised once per process: C_Initialize twice fails.
const modules = new Map<string, graphene.Module>()

export const loadModule = (path: string): graphene.Module => {
  const held = modules.get(path)
  if (held !== undefined) return held
  let mod: graphene.Module
  try {
    mod = graphene.Module.load(path, "bienlai")
  } catch (e) {
    throw new TokenError("module", `the PKCS#11 module ${path} cannot be loaded (${codeOf(e)}): install the token's driver, or set BIENLAI_PKCS11_MODULE to its library`)
  }
  try {
    mod.initialize()
  } catch (e) {
    if (codeOf(e) !== "CKR_CRYPTOKI_ALREADY_INITIALIZED") throw new TokenError("module", `the PKCS#11 module ${path} does not initialise (${codeOf(e)})`)
  }
  modules.set(path, mod)
  return mod
}

/** Finalises every module this process loaded (tests, and a clean exit). */
export const unloadModules = (): void => {
  for (const [path, mod] of modules) {
    try {
      mod.finalize()
    } catch {
      // already finalised
    }
    modules.delete(path)
  }
}

export const tokenLabels = (mod: graphene.Module): Array<string> => {
  const slots = mod.getSlots(true)
  const labels: Array<string> = []
  for (let i = 0; i < slots.length; i++) labels.push(slots.items(i).getToken().label.trim())
  return labels
}

export interface OpenToken {
  readonly module: string
  readonly label: string
  readonly session: graphene.Session
  readonly close: () => void
}

/** Opens a session on the token labelled `label` and logs the user in with `pin`. */
export const openToken = (modulePath: string, label: string, pin: string, options: { readonly write?: boolean } = {}): OpenToken => {
  const mod = loadModule(modulePath)
  const slots = mod.getSlots(true)
  let slot: graphene.Slot | undefined
  for (let i = 0; i < slots.length; i++) {
    if (slots.items(i).getToken().label.trim() === label) slot = slots.items(i)
  }
  if (slot === undefined) {
    const present = tokenLabels(mod)
    throw new TokenError("no_token", `no token labelled "${label}" in ${modulePath} (${present.length === 0 ? "no token is present: is it plugged in?" : `tokens present: ${present.map((l) => `"${l}"`).join(", ")}`})`)
  }
  let session: graphene.Session
  try {
    session = slot.open(graphene.SessionFlag.SERIAL_SESSION | (options.write ? graphene.SessionFlag.RW_SESSION : 0))
  } catch (e) {
    throw new TokenError("device", `token "${label}" does not open a session (${codeOf(e)})`)
  }
  try {
    session.login(pin, graphene.UserType.USER)
  } catch (e) {
    const code = codeOf(e)
    if (code !== "CKR_USER_ALREADY_LOGGED_IN") {
      session.close()
      if (code === "CKR_PIN_INCORRECT") throw new TokenError("wrong_pin", `the PIN is wrong for token "${label}" (${code}); tokens lock after a few wrong PINs`)
      if (code === "CKR_PIN_LOCKED") throw new TokenError("pin_locked", `token "${label}" is locked after too many wrong PINs (${code}): its security officer must unblock it`)
      if (code === "CKR_PIN_LEN_RANGE" || code === "CKR_ARGUMENTS_BAD") throw new TokenError("wrong_pin", `the PIN is wrong for token "${label}" (${code})`)
      throw new TokenError("device", `logging in to token "${label}" failed (${code})`)
    }
  }
  return {
    module: modulePath,
    label,
    session,
    close: () => {
      try {
        session.close()
      } catch {
        // the token was removed; nothing left to close
      }
    }
  }
}

const hexBuffer = (hex: string) => Buffer.from(hex, "hex")

const describeReference = (ref: TokenKeyReference) =>
  [ref.keyId === undefined ? undefined : `id ${ref.keyId}`, ref.keyLabel === undefined ? undefined : `label "${ref.keyLabel}"`].filter((x) => x !== undefined).join(", ")

const findOne = (token: OpenToken, cls: graphene.ObjectClass, ref: TokenKeyReference): graphene.SessionObject | undefined => {
  const template: graphene.ITemplate = { class: cls }
  if (ref.keyId !== undefined) template.id = hexBuffer(ref.keyId)
  if (ref.keyLabel !== undefined) template.label = ref.keyLabel
  const found = token.session.find(template)
  if (found.length > 1) throw new TokenError("ambiguous_key", `${found.length} keys on token "${token.label}" match ${describeReference(ref)}: name the key by its id`)
  return found.length === 1 ? found.items(0) : undefined
}

export interface TokenKey {
  readonly reference: TokenKeyReference
  readonly algorithm: SignatureAlgorithm
  /** DER SubjectPublicKeyInfo, from the token's public key object; undefined if the token keeps none. */
  readonly spki: Uint8Array | undefined
  readonly privateKey: graphene.PrivateKey
}

const P256_OID_DER = "06082a8648ce3d030107"

/** The SPKI of a token's public key object (EC P-256 or RSA), through a JWK so node:crypto does the DER. */
const spkiOf = (publicKey: graphene.SessionObject): Uint8Array => {
  const type = publicKey.getAttribute({ keyType: null }).keyType
  if (type === graphene.KeyType.EC) {
    const attrs = publicKey.getAttribute({ paramsECDSA: null, pointEC: null })
    // graphene names CKA_EC_PARAMS paramsECDSA when it reads it back.
    if (attrs.paramsECDSA?.toString("hex") !== P256_OID_DER) throw new TokenError("unsupported", "the token's EC key is not on P-256")
    // CKA_EC_POINT is a DER OCTET STRING around the uncompressed point 04‖X‖Y (some tokens give the bare point).
    let point = attrs.pointEC!
    if (point[0] === 0x04 && point.length === 67 && point[1] === 0x41) point = point.subarray(2)
    const jwk = { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") }
    return new Uint8Array(createPublicKey({ key: jwk, format: "jwk" }).export({ type: "spki", format: "der" }))
  }
  if (type === graphene.KeyType.RSA) {
    const attrs = publicKey.getAttribute({ modulus: null, publicExponent: null })
    const jwk = { kty: "RSA", n: attrs.modulus!.toString("base64url"), e: attrs.publicExponent!.toString("base64url") }
    return new Uint8Array(createPublicKey({ key: jwk, format: "jwk" }).export({ type: "spki", format: "der" }))
  }
  throw new TokenError("unsupported", `the token's key type ${type} is neither EC nor RSA`)
}

/** Finds the private key (and its public key, when the token has it) a reference names. */
export const findKey = (token: OpenToken, ref: TokenKeyReference): TokenKey => {
  if (ref.keyId === undefined && ref.keyLabel === undefined) throw new TokenError("no_key", "a token key is named by its id or its label")
  const found = findOne(token, graphene.ObjectClass.PRIVATE_KEY, ref)
  if (found === undefined) throw new TokenError("no_key", `no private key with ${describeReference(ref)} on token "${token.label}"`)
  const privateKey = found.toType<graphene.PrivateKey>()
  const type = privateKey.getAttribute({ keyType: null }).keyType
  const algorithm: SignatureAlgorithm | undefined = type === graphene.KeyType.EC ? "ECDSA-P256" : type === graphene.KeyType.RSA ? "RSA-PSS" : undefined
  if (algorithm === undefined) throw new TokenError("unsupported", `the key with ${describeReference(ref)} on token "${token.label}" is neither EC nor RSA`)
  const id = privateKey.getAttribute({ id: null }).id
  const publicObject = findOne(token, graphene.ObjectClass.PUBLIC_KEY, id !== undefined && id !== null && id.length > 0 ? { ...ref, keyId: id.toString("hex"), keyLabel: undefined } : ref)
  return { reference: ref, algorithm, spki: publicObject === undefined ? undefined : spkiOf(publicObject), privateKey }
}

/** A raw signature by a token key: r‖s for ECDSA P-256, PSS for RSA. */
export const signOnToken = (token: OpenToken, key: TokenKey, bytes: Uint8Array): Uint8Array => {
  try {
    if (key.algorithm === "ECDSA-P256") {
      const digest = createHash("sha256").update(bytes).digest()
      return new Uint8Array(token.session.createSign("ECDSA", key.privateKey).once(digest))
    }
    if (key.algorithm === "RSA-PSS") {
      const mechanism = { name: "SHA256_RSA_PKCS_PSS", params: new graphene.RsaPssParams(graphene.MechanismEnum.SHA256, graphene.RsaMgf.MGF1_SHA256, RSA_PSS_SALT_BYTES) }
      return new Uint8Array(token.session.createSign(mechanism, key.privateKey).once(Buffer.from(bytes)))
    }
  } catch (e) {
    throw new TokenError("device", `token "${token.label}" did not sign (${codeOf(e)})`)
  }
  throw new TokenError("unsupported", `${key.algorithm} keys are not used on tokens`)
}

export type TokenKeyType = "ECDSA-P256" | "RSA-PSS-2048" | "RSA-PSS-3072"

/**
 * Generates a key pair on the token: the private key sensitive and never
 * extractable, both kept on the token, named by `label` and a fresh random
 * id. Returns the reference and the public key.
 */
export const generateOnToken = (token: OpenToken, type: TokenKeyType, label: string): { readonly reference: TokenKeyReference; readonly spki: Uint8Array } => {
  if (token.session.find({ class: graphene.ObjectClass.PRIVATE_KEY, label }).length > 0) {
    throw new TokenError("ambiguous_key", `token "${token.label}" already holds a key labelled "${label}": choose another --key-label`)
  }
  const id = Buffer.from(crypto.getRandomValues(new Uint8Array(8)))
  const common = { token: true, label, id }
  let pair: graphene.IKeyPair
  try {
    pair = type === "ECDSA-P256"
      ? token.session.generateKeyPair(
        graphene.KeyGenMechanism.EC,
        { ...common, keyType: graphene.KeyType.EC, verify: true, paramsEC: graphene.NamedCurve.getByName("secp256r1").value },
        { ...common, keyType: graphene.KeyType.EC, sign: true, private: true, sensitive: true, extractable: false }
      )
      : token.session.generateKeyPair(
        graphene.KeyGenMechanism.RSA,
        { ...common, keyType: graphene.KeyType.RSA, verify: true, modulusBits: type === "RSA-PSS-2048" ? 2048 : 3072, publicExponent: Buffer.from([1, 0, 1]) },
        { ...common, keyType: graphene.KeyType.RSA, sign: true, private: true, sensitive: true, extractable: false }
      )
  } catch (e) {
    throw new TokenError("device", `token "${token.label}" did not generate a ${type} key (${codeOf(e)})`)
  }
  return { reference: { tokenLabel: token.label, keyId: id.toString("hex"), keyLabel: label }, spki: spkiOf(pair.publicKey) }
}
