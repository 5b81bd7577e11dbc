/**
 * The operations view's script (served at /console/ioc/assets/ioc.js, same
 * origin, as the console's policy requires): it listens to the page's
 * server-sent events and puts each new fragment of figures in place. The
 * browser's EventSource reconnects by itself after a drop (the server
 * names the delay with `retry`), and the stream is closed by the server
 * every few minutes so the session is checked again on reconnection.
 */
export const iocScript = `(() => {
  const root = document.getElementById("ioc")
  if (root === null || typeof EventSource === "undefined") return
  const live = document.getElementById("ioc-live")
  const dot = document.getElementById("ioc-dot")
  const state = document.getElementById("ioc-state")
  const asOf = document.getElementById("ioc-asof")
  let updates = 0
  const source = new EventSource(root.dataset.stream)
  source.addEventListener("figures", (event) => {
    const data = JSON.parse(event.data)
    live.innerHTML = data.html
    asOf.textContent = data.asOfText
    asOf.setAttribute("datetime", data.asOf)
    updates += 1
    root.dataset.updates = String(updates)
    dot.dataset.state = "live"
    state.textContent = root.dataset.live
  })
  source.addEventListener("error", () => {
    dot.dataset.state = "lost"
    state.textContent = root.dataset.lost
  })
})()
`
