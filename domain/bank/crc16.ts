/**
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection,
 * no final XOR): the checksum of EMVCo QR codes, VietQR included. Its check
 * value is 0x29B1 for the ASCII text "123456789".
 */

const table = new Uint16Array(256)
for (let i = 0; i < 256; i++) {
  let crc = i << 8
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  table[i] = crc
}

const utf8 = new TextEncoder()

/** The CRC of the UTF-8 bytes of `text`. */
export const crc16CcittFalse = (text: string): number => {
  let crc = 0xffff
  for (const byte of utf8.encode(text)) crc = ((crc << 8) ^ (table[((crc >> 8) ^ byte) & 0xff] as number)) & 0xffff
  return crc
}

/** The CRC as EMVCo writes it: 4 upper-case hexadecimal digits. */
export const crc16Hex = (text: string): string => crc16CcittFalse(text).toString(16).toUpperCase().padStart(4, "0")
