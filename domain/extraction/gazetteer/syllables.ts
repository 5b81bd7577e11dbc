/**
 * Whether a word in unaccented capitals can be a Vietnamese syllable: an
 * initial consonant (or none) and a rhyme of the language, marks stripped
 * ("NOP", "TIEN", "VEN", "NGHIENG"), where OCR's slips mostly are not
 * ("NOOP", "QUAACH", "NOPTIEN", "TlEN"). A transfer's word that may be a
 * syllable is a real word and is never corrected, even when no vocabulary
 * holds it. The rhymes are those of Vietnamese spelling (vần), with ă, â,
 * ê, ô, ơ, ư written as a, a, e, o, o, u; the test errs on accepting, so a
 * doubtful word is left alone.
 */
const initials = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x"

const rhymes = (
  "a ai ao au ay ac ach am an ang anh ap at " +
  "e eo ec em en eng ep et eu ech enh " +
  "i ia iu ich im in inh ip it iec iem ien ieng iep iet ieu " +
  "o oi oc om on ong op ot oong ooc " +
  "u ua ui uc um un ung up ut uu uoc uoi uom uon uong uop uot uou " +
  "y yen yet yeu " +
  "oa oai oay oac oach oam oan oang oanh oap oat oe oeo oen oet " +
  "uai uay uan uang uanh uat ue uech uenh uen uy uya uych uyen uyet uynh uyp uyt uyu uo"
).split(" ")

const syllable = new RegExp(`^(?:${initials})?(?:${rhymes.sort((a, b) => b.length - a.length).join("|")})$`, "u")

export const maybeSyllable = (word: string): boolean => syllable.test(word.toLowerCase())
