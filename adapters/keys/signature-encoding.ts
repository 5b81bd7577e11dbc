/**
 * ECDSA signatures travel in two forms: raw r‖s (IEEE P1363: WebCrypto,
 * PKCS#11, the QR token, JWS) and DER SEQUENCE { INTEGER r, INTEGER s }
 * (X.509, CMS, CSC services, OpenSSL). These convert between them for P-256.
 * Also the DER parameters of RSASSA-PSS with SHA-256, MGF1-SHA-256 and a
 * 32-byte salt, which CMS and CSC name explicitly.
 */

const P256_BYTES = 32

/** Raw r‖s (64 bytes) to DER. */
export const ecdsaRawToDer = (raw: Uint8Array): Uint8Array => {
  if (raw.length !== 2 * P256_BYTES) throw new RangeError(`an ECDSA P-256 signature is ${2 * P256_BYTES} bytes raw, not ${raw.length}`)
  const int = (b: Uint8Array) => {
    let i = 0
    while (i < b.length - 1 && b[i] === 0) i++
    const v = b.subarray(i)
    return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v]
  }
  const body = [...int(raw.subarray(0, P256_BYTES)), ...int(raw.subarray(P256_BYTES))]
  return Uint8Array.from([0x30, body.length, ...body])
}

/** DER to raw r‖s (64 bytes); throws on anything that is not a P-256 ECDSA signature in DER. */
export const ecdsaDerToRaw = (der: Uint8Array): Uint8Array => {
  const fail = (): never => {
    throw new RangeError("not a DER ECDSA P-256 signature")
  }
  if (der[0] !== 0x30 || der[1] !== der.length - 2) fail()
  const out = new Uint8Array(2 * P256_BYTES)
  let at = 2
  for (let k = 0; k < 2; k++) {
    if (der[at] !== 0x02) fail()
    const len = der[at + 1]!
    let v = der.subarray(at + 2, at + 2 + len)
    if (v.length !== len) fail()
    while (v.length > P256_BYTES && v[0] === 0) v = v.subarray(1)
    if (v.length > P256_BYTES) fail()
    out.set(v, (k + 1) * P256_BYTES - v.length)
    at += 2 + len
  }
  if (at !== der.length) fail()
  return out
}

/** RSASSA-PSS-params: hashAlgorithm SHA-256, maskGenAlgorithm MGF1 with SHA-256, saltLength 32 (RFC 4055). */
export const RSA_PSS_SHA256_PARAMS_DER = Uint8Array.from(Buffer.from(
  "3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120",
  "hex"
))
