/** The sign-in screen: an officer pastes the token their administrator gave them. */
import { Hono } from "hono"
import { principalOf } from "../officers/tokens.ts"
import { type ConsoleContext, formOf, render } from "./context.ts"
import { words } from "./i18n.ts"
import { esc } from "./layout.ts"
import { type ConsoleEnv, endSession, safeNext, startSession } from "./session.ts"

const form = (w: ReturnType<typeof words>, next: string, error: string | undefined) => `
<div class="card" style="max-width:32rem">
${error === undefined ? "" : `<p class="flash error" role="alert" id="sign-in-error">${esc(error)}</p>`}
<form method="post" action="/console/sign-in" id="sign-in-form" class="fields" style="grid-template-columns:1fr">
<input type="hidden" name="next" value="${esc(next)}">
<label for="token">${esc(w.tokenLabel)}</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus spellcheck="false">
<span class="muted">${esc(w.tokenHelp)}</span>
<div><button type="submit">${esc(w.signIn)}</button></div>
</form></div>`

export const signInRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  app.get("/sign-in", (c) => {
    const w = words(c.get("lang"))
    const notice = c.req.query("expired") === "1" ? w.sessionExpired : c.req.query("out") === "1" ? w.signedOut : undefined
    return render(c, {
      title: w.signInTitle,
      nav: "none",
      body: (notice === undefined ? "" : `<p class="flash ok" role="status">${esc(notice)}</p>`) + form(w, safeNext(c.req.query("next")), undefined)
    })
  })
  app.post("/sign-in", async (c) => {
    const w = words(c.get("lang"))
    const body = await formOf(c)
    const token = (body["token"] ?? "").trim()
    const principal = await principalOf(ctx.s.db, token)
    if (principal === undefined) {
      return render(c, { title: w.signInTitle, nav: "none", body: form(w, safeNext(body["next"]), w.tokenRejected), status: 401 })
    }
    startSession(c, token)
    return c.redirect(safeNext(body["next"]), 303)
  })
  app.post("/sign-out", (c) => {
    endSession(c)
    return c.redirect("/console/sign-in?out=1", 303)
  })
  return app
}
