/**
 * The sign-in screen. An officer types their API token (blk_…), which opens
 * a console session (the token itself is never put in a cookie), or, the
 * first time, the one-time enrolment code their administrators handed over:
 * the code is used up, the officer's own token is made and shown once on
 * the next page, and a session opens with it.
 */
import { Hono } from "hono"
import { normalizeEnrolmentCode } from "../../domain/privileges.ts"
import { ApiError } from "../http/errors.ts"
import { makePrivileges } from "../officers/privileges.ts"
import { isTokenShaped, principalOf, sha256Hex } from "../officers/tokens.ts"
import { type ConsoleContext, formOf, render } from "./context.ts"
import { type Lang, words } from "./i18n.ts"
import { type Html, html } from "../http/html.ts"
import { type ConsoleEnv, endSession, safeNext, startSession } from "./session.ts"

type CodeRefusal = "unknown" | "used" | "expired" | "officer_disabled"

const local: Record<Lang, {
  readonly label: string
  readonly help: string
  readonly enrolledTitle: string
  readonly enrolledText: (expires: string) => string
  readonly yourToken: string
  readonly continue: string
  readonly code: Record<CodeRefusal, string>
}> = {
  vi: {
    label: "Mã truy cập (blk_…) hoặc mã kích hoạt",
    help: "Lần đầu: nhập mã kích hoạt (20 ký tự, dạng XXXXX-XXXXX-XXXXX-XXXXX) do quản trị viên trao tận tay. Những lần sau: nhập mã truy cập của bạn.",
    enrolledTitle: "Tài khoản đã được kích hoạt",
    enrolledText: (expires) =>
      `Đây là mã truy cập của riêng bạn. Nó chỉ hiện MỘT lần: hãy lưu vào trình quản lý mật khẩu ngay. Lần sau bạn đăng nhập bằng mã này. Mã hết hạn lúc ${expires}. Không ai khác, kể cả quản trị viên, được biết mã này.`,
    yourToken: "Mã truy cập của bạn",
    continue: "Tôi đã lưu mã, tiếp tục",
    code: {
      unknown: "Mã kích hoạt không đúng: hãy kiểm tra và nhập lại.",
      used: "Mã kích hoạt này đã được dùng. Nếu không phải bạn dùng, hãy báo ngay cho quản trị viên.",
      expired: "Mã kích hoạt đã hết hạn (mã dùng được 72 giờ); hãy xin quản trị viên mã mới.",
      officer_disabled: "Tài khoản cán bộ của mã này đã bị khóa."
    }
  },
  en: {
    label: "Access token (blk_…) or enrolment code",
    help: "The first time: type the enrolment code (20 characters, XXXXX-XXXXX-XXXXX-XXXXX) your administrator handed you. After that: your access token.",
    enrolledTitle: "Your account is active",
    enrolledText: (expires) =>
      `This is your own access token. It is shown ONCE: save it in a password manager now. You sign in with it from now on. It expires at ${expires}. Nobody else, administrators included, should ever know it.`,
    yourToken: "Your access token",
    continue: "I saved it, continue",
    code: {
      unknown: "This enrolment code is wrong: check it and type it again.",
      used: "This enrolment code was already used. If it was not you, tell your administrators at once.",
      expired: "This enrolment code has expired (codes last 72 hours); ask your administrators for a new one.",
      officer_disabled: "The officer account of this code is disabled."
    }
  }
}

const form = (lang: Lang, next: string, error: string | undefined): Html => {
  const w = words(lang)
  const l = local[lang]
  return html`
<div class="card" style="max-width:32rem">
${error === undefined ? "" : html`<p class="flash error" role="alert" id="sign-in-error">${error}</p>`}
<form method="post" action="/console/sign-in" id="sign-in-form" class="fields" style="grid-template-columns:1fr">
<input type="hidden" name="next" value="${next}">
<label for="token">${l.label}</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus spellcheck="false">
<span class="muted">${l.help}</span>
<div><button type="submit">${w.signIn}</button></div>
</form></div>`
}

export const signInRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const s = ctx.s
  const privileges = makePrivileges(s)

  app.get("/sign-in", (c) => {
    const w = words(c.get("lang"))
    const notice = c.req.query("expired") === "1" ? w.sessionExpired : c.req.query("out") === "1" ? w.signedOut : undefined
    return render(c, {
      title: w.signInTitle,
      nav: "none",
      body: html`${notice === undefined ? "" : html`<p class="flash ok" role="status">${notice}</p>`}${form(c.get("lang"), safeNext(c.req.query("next")), undefined)}`
    })
  })

  app.post("/sign-in", async (c) => {
    const lang = c.get("lang")
    const w = words(lang)
    const body = await formOf(c)
    const typed = (body["token"] ?? "").trim()
    const next = safeNext(body["next"])
    const refuse = (message: string) => render(c, { title: w.signInTitle, nav: "none", body: form(lang, next, message), status: 401 })

    if (isTokenShaped(typed)) {
      const principal = await principalOf(s.db, typed, s.now())
      if (principal === undefined) return refuse(w.tokenRejected)
      await startSession(c, s, { officer: principal.officer, agency: principal.agency, role: principal.role }, await sha256Hex(typed))
      return c.redirect(next, 303)
    }
    if (normalizeEnrolmentCode(typed) === undefined) return refuse(w.tokenRejected)

    let made: Awaited<ReturnType<typeof privileges.redeem>>
    try {
      made = await privileges.redeem(typed, { via: "console" })
    } catch (e) {
      const reason = e instanceof ApiError ? e.details?.["reason"] : undefined
      if (typeof reason === "string" && reason in local[lang].code) return refuse(local[lang].code[reason as CodeRefusal])
      throw e
    }
    await startSession(c, s, made.principal, await sha256Hex(made.token))
    const l = local[lang]
    return render(c, {
      title: l.enrolledTitle,
      nav: "none",
      body: html`<div class="card" style="max-width:40rem">
<p>${l.enrolledText(made.expiresAt)}</p>
<label for="new-token">${l.yourToken}</label>
<input id="new-token" readonly value="${made.token}" spellcheck="false" style="width:100%;font-family:monospace">
<p><a class="button" id="continue" href="${next}">${l.continue}</a></p>
</div>`
    })
  })

  app.post("/sign-out", async (c) => {
    await endSession(c, s)
    return c.redirect("/console/sign-in?out=1", 303)
  })
  return app
}
