/**
 * Whose figures an officer may see in the operations view: an officer of a
 * provincial agency sees that agency only; an officer of the central
 * department sees the whole country, or any one agency. Asking for another
 * agency's figures without being central is answered as "not found", as
 * everywhere else in the API, so the answer does not confirm the agency.
 */
import { Result } from "effect"

export type Scope = { readonly kind: "national" } | { readonly kind: "agency"; readonly agency: string }

export interface Viewer {
  readonly agency: string
  /** Whether the viewer's agency is the central department. */
  readonly central: boolean
}

export const NATIONAL = "national"

/** The scope `asked` for (undefined: the viewer's default), or the refusal. */
export const resolveScope = (viewer: Viewer, asked: string | undefined): Result.Result<Scope, { readonly reason: "not_found"; readonly asked: string }> => {
  const wanted = asked === undefined || asked === "" ? (viewer.central ? NATIONAL : viewer.agency) : asked.toUpperCase() === "NATIONAL" ? NATIONAL : asked.toUpperCase()
  if (wanted === NATIONAL) return viewer.central ? Result.succeed({ kind: "national" }) : Result.fail({ reason: "not_found", asked: asked ?? "" })
  if (wanted === viewer.agency || viewer.central) return Result.succeed({ kind: "agency", agency: wanted })
  return Result.fail({ reason: "not_found", asked: asked ?? "" })
}

/** The agency a store query is limited to, or null for every agency. */
export const agencyFilter = (scope: Scope): string | null => (scope.kind === "national" ? null : scope.agency)

export const scopeKey = (scope: Scope): string => (scope.kind === "national" ? NATIONAL : scope.agency)
