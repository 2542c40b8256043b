// "Exit this page": leave for a neutral site at once, replacing this page in the history
// so Back does not return to it. Pressing Shift three times quickly does the same.
// Without JavaScript the link still leaves (an ordinary link).
(() => {
  const link = document.getElementById("exit-this-page");
  if (!link) return;
  const leave = (event) => {
    if (event) event.preventDefault();
    window.location.replace(link.href);
  };
  link.addEventListener("click", leave);
  const hint = document.getElementById("exit-shift");
  if (hint) hint.hidden = false; // true only now that the script is here

  // Only Shift pressed on its own counts: Shift+Tab, capitals and the like must not leave.
  const QUICKLY = 1000; // milliseconds for all three presses
  let presses = [];
  let alone = false;
  document.addEventListener("keydown", (event) => {
    if (event.key === "Shift") {
      alone = !event.repeat;
    } else {
      alone = false;
      presses = [];
    }
  });
  document.addEventListener("keyup", (event) => {
    if (event.key !== "Shift" || !alone) return;
    alone = false;
    const now = Date.now();
    presses = presses.filter((time) => now - time < QUICKLY);
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
