// Keep several organisers' screens in step. The server says when the day changes (an event
// stream); then the changing part is fetched and put in place. Without the stream the part
// is asked for every two seconds (answered "not modified" while nothing changed). Without
// JavaScript the page reloads itself (a meta refresh inside <noscript>).
// Focus inside the live part stays where it was: the element that had it is found again
// in the new content and focused, with the caret where it was.
(() => {
  const live = document.querySelector("[data-live-url]");
  if (!live) return;
  const status = document.getElementById("live-status");
  const POLL = 2000; // milliseconds between polls when there is no stream
  const MINUTE = 30000; // waits are shown in minutes: ask at least this often
  // the version the page was built at: "counter-minute"
  let etag = live.dataset.version ? `"${live.dataset.version}"` : null;
  let busy = false;
  let again = false;

  // What makes an element "the same one" in new content: its id, else its kind, its form's
  // address and the words on it.
  const describe = (el) => {
    if (el.id) return `#${el.id}`;
    const form = el.form ? el.form.getAttribute("action") : "";
    const pair = el.form && el.form.elements.pair ? el.form.elements.pair.value : "";
    return [el.tagName, el.name || "", el.type || "", form, pair, el.textContent.trim()].join("|");
  };

  const focusable = "a[href], button, input, select, textarea, [tabindex]";

  const put = (html) => {
    const focused = document.activeElement;
    const inside = focused && focused !== live && live.contains(focused);
    const was = inside ? describe(focused) : null;
    const typing = inside && "selectionStart" in focused ? focused : null;
    const caret = typing ? [typing.value, typing.selectionStart, typing.selectionEnd] : null;
    live.innerHTML = html;
    if (inside) {
      const same = Array.from(live.querySelectorAll(focusable)).find((el) => describe(el) === was);
      const target = same || live; // gone (someone else acted on it): stay in the live part
      target.focus({ preventScroll: true });
      if (same && caret && "selectionStart" in same) {
        same.value = caret[0];
        try {
          same.setSelectionRange(caret[1], caret[2]);
        } catch (error) {
          // a field without a caret (a checkbox): nothing to put back
        }
      }
    }
    if (status) status.textContent = `Updated at ${new Date().toLocaleTimeString("en-GB")}`;
    document.dispatchEvent(new CustomEvent("live:updated", { detail: live }));
  };

  const refresh = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const headers = etag ? { "If-None-Match": etag } : {};
      const response = await fetch(live.dataset.liveUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers,
      });
      if (response.redirected) window.location.reload();
      else if (response.status === 200) {
        etag = response.headers.get("ETag");
        put(await response.text());
      }
    } catch (error) {
      // offline for a moment: the next change or poll tries again
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  };

  let polling = null;
  const poll = () => {
    if (!polling) polling = setInterval(refresh, POLL);
  };

  const listen = () => {
    if (!live.dataset.eventsUrl || !window.EventSource) return poll();
    const stream = new EventSource(live.dataset.eventsUrl);
    let last = (live.dataset.version || "").split("-")[0] || null;
    stream.addEventListener("change", (event) => {
      if (polling) {
        clearInterval(polling);
        polling = null;
      }
      if (event.data !== last) {
        if (last !== null) refresh();
        last = event.data;
      }
    });
    stream.addEventListener("error", () => {
      // the stream ends every so often and reconnects by itself; closed for good: poll
      if (stream.readyState === EventSource.CLOSED) poll();
    });
  };

  if (status) status.textContent = `Updated at ${new Date().toLocaleTimeString("en-GB")}`;
  if (!etag) refresh();
  listen();
  setInterval(refresh, MINUTE);
})();
