// Keep several organisers' screens in step: fetch the changing part every few seconds.
// Without JavaScript the page refreshes itself (a meta refresh inside <noscript>).
document.addEventListener("DOMContentLoaded", () => {
  const live = document.getElementById("floor-live");
  if (!live) return;
  const refresh = async () => {
    if (live.contains(document.activeElement) && document.activeElement !== document.body) return;
    try {
      const response = await fetch(live.dataset.liveUrl, { credentials: "same-origin" });
      if (response.redirected) window.location.reload();
      else if (response.ok) live.innerHTML = await response.text();
    } catch (error) {
      // offline for a moment: try again next time
    }
  };
  setInterval(refresh, 4000);
});
