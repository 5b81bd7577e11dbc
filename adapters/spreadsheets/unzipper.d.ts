/** The part of unzipper (0.10, the version exceljs itself uses) that first-sheet.ts reads a workbook with. */
declare module "unzipper" {
  import type { Readable } from "node:stream"
  export interface CentralDirectoryFile {
    readonly path: string
    readonly type: "File" | "Directory"
    stream(): Readable
  }
  export interface CentralDirectory {
    readonly files: ReadonlyArray<CentralDirectoryFile>
  }
  export const Open: { file(path: string): Promise<CentralDirectory> }
}
