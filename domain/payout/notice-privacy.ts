/**
 * The creditor's identity number as the public portal shows it: enough for
 * the creditor to recognise it as theirs (its last three characters), too
 * little to be of use to anyone looking over their shoulder.
 */
export const maskIdentityNumber = (idNumber: string): string => {
  const visible = Math.min(3, Math.max(0, idNumber.length - 6))
  return `${"•".repeat(idNumber.length - visible)}${idNumber.slice(idNumber.length - visible)}`
}
