/**
 * Vietnamese banks by their NAPAS bank identification number (BIN): the
 * 6-digit code that VietQR carries in tag 38 and that identifies the payee's
 * bank in a domestic transfer (970436 is Vietcombank).
 *
 * Source: the VietQR bank list that NAPAS's VietQR service publishes
 * (api.vietqr.io/v2/banks: bin, code, shortName, name, swift_code,
 * transferSupported), as carried by the npm package vietnam-qr-pay 1.5.1,
 * src/constants/banks.ts (MIT, commit 17a05d3 of xuannghia/vietnam-qr-pay).
 * Restated here as data: one row per BIN, renamed banks under their current
 * name with the former one kept, BICs only where they are Vietnamese BICs
 * (the list gives MBV the code OCBKUS3M, which is not; it is left out).
 * docs/BANK-FORMATS.md says how to update the list.
 */

export type BankKind = "bank" | "digital-bank" | "e-wallet"

export interface Bank {
  /** NAPAS BIN, 6 digits. */
  readonly bin: string
  /** The short code VietQR uses ("VCB", "CTG", "BID"). */
  readonly code: string
  readonly shortName: string
  /** The legal name in Vietnamese. */
  readonly name: string
  /** SWIFT/BIC (8 characters) where the published list gives a Vietnamese one. */
  readonly bic?: string
  /** Names the same BIN was published under before a rename. */
  readonly formerly?: ReadonlyArray<string>
  readonly kind: BankKind
  /** Whether NAPAS lists the bank as able to send VietQR transfers (false: receive only). */
  readonly vietQrTransfers: boolean
  /**
   * Account-number lengths the bank documents, when it does. None of the
   * banks below publishes a rule that also covers its chosen ("số đẹp")
   * account numbers, so none is set; the generic range applies.
   */
  readonly accountLength?: { readonly min: number; readonly max: number }
}

type Row = readonly [bin: string, code: string, shortName: string, bic: string, transfers: 0 | 1, name: string, extra?: Partial<Bank>]

// bin, VietQR code, short name, BIC ("" when none), VietQR transfers, legal name
const rows: ReadonlyArray<Row> = [
  ["970400", "SGB", "SaigonBank", "SBITVNVX", 1, "Ngân hàng TMCP Sài Gòn Công Thương"],
  ["970403", "STB", "Sacombank", "SGTTVNVX", 1, "Ngân hàng TMCP Sài Gòn Thương Tín"],
  ["970405", "AGRIBANK", "Agribank", "VBAAVNVX", 1, "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"],
  ["970406", "VIKKI", "Vikki Bank", "EACBVNVX", 1, "Ngân hàng TNHH MTV Số Vikki", { formerly: ["DongA Bank (Ngân hàng TMCP Đông Á)"] }],
  ["970407", "TCB", "Techcombank", "VTCBVNVX", 1, "Ngân hàng TMCP Kỹ thương Việt Nam"],
  ["970408", "GPBANK", "GPBank", "GBNKVNVX", 0, "Ngân hàng Thương mại TNHH MTV Dầu Khí Toàn Cầu"],
  ["970409", "BAB", "BacA Bank", "NASCVNVX", 1, "Ngân hàng TMCP Bắc Á"],
  ["970410", "SC", "Standard Chartered Vietnam", "SCBLVNVX", 0, "Ngân hàng TNHH MTV Standard Chartered Bank Việt Nam"],
  ["970412", "PVCOMBANK", "PVcomBank", "WBVNVNVX", 1, "Ngân hàng TMCP Đại Chúng Việt Nam"],
  ["970414", "MBV", "MBV", "", 1, "Ngân hàng TNHH MTV Việt Nam Hiện Đại", { formerly: ["Ocean Bank (Ngân hàng Thương mại TNHH MTV Đại Dương)"] }],
  ["970415", "CTG", "VietinBank", "ICBVVNVX", 1, "Ngân hàng TMCP Công thương Việt Nam"],
  ["970416", "ACB", "ACB", "ASCBVNVX", 1, "Ngân hàng TMCP Á Châu"],
  ["970418", "BID", "BIDV", "BIDVVNVX", 1, "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"],
  ["970419", "NVB", "NCB Bank", "NVBAVNVX", 1, "Ngân hàng TMCP Quốc Dân"],
  ["970421", "VRB", "VietNgaBank", "", 0, "Ngân hàng Liên doanh Việt - Nga"],
  ["970422", "MBB", "MB Bank", "MSCBVNVX", 1, "Ngân hàng TMCP Quân đội"],
  ["970423", "TPB", "TPBank", "TPBVVNVX", 1, "Ngân hàng TMCP Tiên Phong"],
  ["970424", "SVB", "Shinhan Bank", "SHBKVNVX", 1, "Ngân hàng TNHH MTV Shinhan Việt Nam"],
  ["970425", "ABB", "AB Bank", "ABBKVNVX", 1, "Ngân hàng TMCP An Bình"],
  ["970426", "MSB", "MSB", "MCOBVNVX", 1, "Ngân hàng TMCP Hàng Hải"],
  ["970427", "VAB", "VietABank", "VNACVNVX", 1, "Ngân hàng TMCP Việt Á"],
  ["970428", "NAB", "Nam A Bank", "NAMAVNVX", 1, "Ngân hàng TMCP Nam Á"],
  ["970429", "SCB", "SCB", "SACLVNVX", 1, "Ngân hàng TMCP Sài Gòn"],
  ["970430", "PGB", "PG Bank", "PGBLVNVX", 1, "Ngân hàng TMCP Xăng dầu Petrolimex"],
  ["970431", "EIB", "Eximbank", "EBVIVNVX", 1, "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"],
  ["970432", "VPB", "VPBank", "VPBKVNVX", 1, "Ngân hàng TMCP Việt Nam Thịnh Vượng"],
  ["970433", "VBB", "VietBank", "VNTTVNVX", 1, "Ngân hàng TMCP Việt Nam Thương Tín"],
  ["970434", "IVB", "Indovina Bank", "", 0, "Ngân hàng TNHH Indovina"],
  ["970436", "VCB", "Vietcombank", "BFTVVNVX", 1, "Ngân hàng TMCP Ngoại Thương Việt Nam"],
  ["970437", "HDB", "HDBank", "HDBCVNVX", 1, "Ngân hàng TMCP Phát triển TP. Hồ Chí Minh"],
  ["970438", "BAOVIETBANK", "BaoViet Bank", "BVBVVNVX", 1, "Ngân hàng TMCP Bảo Việt"],
  ["970439", "PBVN", "Public Bank Vietnam", "VIDPVNVX", 0, "Ngân hàng TNHH MTV Public Việt Nam"],
  ["970440", "SSB", "SeABank", "SEAVVNVX", 1, "Ngân hàng TMCP Đông Nam Á"],
  ["970441", "VIB", "VIB", "VNIBVNVX", 1, "Ngân hàng TMCP Quốc tế Việt Nam"],
  ["970442", "HLB", "HongLeong Bank", "HLBBVNVX", 0, "Ngân hàng TNHH MTV Hong Leong Việt Nam"],
  ["970443", "SHB", "SHB", "SHBAVNVX", 1, "Ngân hàng TMCP Sài Gòn - Hà Nội"],
  ["970444", "VNCB", "CB Bank", "GTBAVNVX", 0, "Ngân hàng Thương mại TNHH MTV Xây dựng Việt Nam"],
  ["970446", "COOPBANK", "Co-op Bank", "", 1, "Ngân hàng Hợp tác xã Việt Nam"],
  ["970448", "OCB", "OCB Bank", "ORCOVNVX", 1, "Ngân hàng TMCP Phương Đông"],
  ["970449", "LPB", "LPBank", "LVBKVNVX", 1, "Ngân hàng TMCP Lộc Phát Việt Nam", { formerly: ["LienVietPostBank (Ngân hàng TMCP Bưu Điện Liên Việt)"] }],
  ["970452", "KLB", "KienlongBank", "KLBKVNVX", 1, "Ngân hàng TMCP Kiên Long"],
  ["970454", "BVB", "BVBank", "VCBCVNVX", 1, "Ngân hàng TMCP Bản Việt"],
  ["970455", "IBKHN", "IBK HN", "", 0, "Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh Hà Nội"],
  ["970456", "IBKHCM", "IBK HCM", "", 0, "Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh TP. Hồ Chí Minh"],
  ["970457", "WRB", "Woori Bank", "", 0, "Ngân hàng TNHH MTV Woori Việt Nam"],
  ["970458", "UOB", "United Overseas Bank Vietnam", "", 0, "Ngân hàng United Overseas Bank Việt Nam"],
  ["970462", "KBHN", "Kookmin Bank HN", "", 0, "Ngân hàng Kookmin - Chi nhánh Hà Nội"],
  ["970463", "KBHCM", "Kookmin Bank HCM", "", 0, "Ngân hàng Kookmin - Chi nhánh TP. Hồ Chí Minh"],
  ["422589", "CIMB", "CIMB Bank", "CIBBVNVN", 0, "Ngân hàng TNHH MTV CIMB Việt Nam"],
  ["458761", "HSBC", "HSBC Vietnam", "HSBCVNVX", 0, "Ngân hàng TNHH MTV HSBC (Việt Nam)"],
  ["668888", "KBANK", "Kasikornbank", "KASIVNVX", 1, "Ngân hàng Đại chúng TNHH KASIKORNBANK - CN TP. Hồ Chí Minh"],
  ["796500", "DBS", "DBS Bank", "DBSSVNVX", 0, "NH TNHH MTV Phát triển Singapore - Chi nhánh TP. Hồ Chí Minh"],
  ["801011", "NONGHYUP", "Nonghyup Bank", "", 0, "Ngân hàng Nonghyup - Chi nhánh Hà Nội"],
  ["546034", "CAKE", "CAKE by VPBank", "", 1, "Ngân hàng số CAKE by VPBank - Ngân hàng TMCP Việt Nam Thịnh Vượng", { kind: "digital-bank" }],
  ["546035", "UBANK", "Ubank by VPBank", "", 1, "Ngân hàng số Ubank by VPBank - Ngân hàng TMCP Việt Nam Thịnh Vượng", { kind: "digital-bank" }],
  ["963369", "LIOBANK", "Liobank", "", 1, "Ngân hàng số Liobank - Ngân hàng TMCP Phương Đông", { kind: "digital-bank" }],
  ["963388", "TIMO", "Timo", "", 1, "Ngân hàng số Timo by Bản Việt Bank", { kind: "digital-bank" }],
  ["971025", "MOMO", "MoMo", "", 1, "CTCP Dịch Vụ Di Động Trực Tuyến", { kind: "e-wallet" }]
]

export const banks: ReadonlyArray<Bank> = rows.map(([bin, code, shortName, bic, transfers, name, extra]) => ({
  bin,
  code,
  shortName,
  name,
  ...(bic === "" ? {} : { bic }),
  kind: "bank" as BankKind,
  vietQrTransfers: transfers === 1,
  ...extra
}))

const byBin = new Map(banks.map((b) => [b.bin, b]))
const byCode = new Map(banks.map((b) => [b.code.toUpperCase(), b]))

/** The bank with this NAPAS BIN, or undefined. */
export const bankByBin = (bin: string): Bank | undefined => byBin.get(bin.trim())

/** The bank with this VietQR code ("VCB"), case-insensitive, or undefined. */
export const bankByCode = (code: string): Bank | undefined => byCode.get(code.trim().toUpperCase())
