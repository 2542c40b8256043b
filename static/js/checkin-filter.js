// Narrow the check-in list as a name is typed; without this the search form still works.
// Names compare as the server compares them (surgery/domain/search_key.py): accents, case,
// word order and spacing make no difference, so "garcia" finds García and "patel amina"
// finds Amina Patel.
(() => {
  // letters that have no accent to take off
  const PLAIN = { ß: "ss", ł: "l", ø: "o", đ: "d", ð: "d", þ: "th", æ: "ae", œ: "oe", ı: "i" };

  const normalise = (text) =>
    (text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[ßłøđðþæœı]/g, (letter) => PLAIN[letter])
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");

  const input = document.querySelector("[data-filter-list]");
  if (!input) return;
  const none = () => document.getElementById("no-match");

  const filter = () => {
    const list = document.getElementById(input.dataset.filterList);
    if (!list) return;
    const words = normalise(input.value).split(" ").filter(Boolean);
    let shown = 0;
    for (const item of list.children) {
      const key = item.dataset.key || (item.dataset.key = normalise(item.dataset.name));
      const match = words.every((word) => key.includes(word));
      item.hidden = !match;
      if (match) shown += 1;
    }
    const nobody = none();
    if (nobody) nobody.hidden = shown > 0;
  };

  input.addEventListener("input", filter);
  document.addEventListener("live:updated", filter); // a new list keeps the typed filter
})();
