// Narrow the check-in list as a name is typed; without this the search form still works.
document.addEventListener("DOMContentLoaded", () => {
  const input = document.querySelector("[data-filter-list]");
  if (!input) return;
  const list = document.getElementById(input.dataset.filterList);
  const none = document.getElementById("no-match");
  input.addEventListener("input", () => {
    const wanted = input.value.trim().toLowerCase();
    let shown = 0;
    for (const item of list.children) {
      const match = item.dataset.name.includes(wanted);
      item.hidden = !match;
      if (match) shown += 1;
    }
    if (none) none.hidden = shown > 0;
  });
});
