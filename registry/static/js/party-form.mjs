// The party form's help over controls that work without it: the chosen legal bases listed at the
// top as they are ticked, and a filter over the statutory powers (authority-select.mjs finds the
// authority by name). Loaded as a module file, so the CSP needs no 'unsafe-inline'.

const words = (text) => text.toLowerCase().split(/\s+/).filter(Boolean);

// A label's words as a screen reader says them: without what is there only for the eye (a power's "Duty" tag).
function spokenName(label) {
  const copy = label.cloneNode(true);
  for (const shownOnly of copy.querySelectorAll("[aria-hidden='true']")) shownOnly.remove();
  return copy.textContent.replace(/\s+/g, " ").trim();
}

function keepChosenListed(form) {
  const summary = form.querySelector("[data-module='app-chosen-bases']");
  if (!summary) return;
  const list = summary.querySelector(".app-chosen-bases__list");
  const none = summary.querySelector(".app-chosen-bases__none");
  const boxes = [...form.querySelectorAll("input[name='legal_bases']")];
  form.addEventListener("change", (event) => {
    if (event.target.name !== "legal_bases") return;
    list.replaceChildren(...boxes.filter((box) => box.checked).map((box) => {
      const item = document.createElement("li");
      item.textContent = spokenName(form.querySelector(`label[for='${box.id}']`));
      return item;
    }));
    none.hidden = list.children.length > 0;
  });
}

function filterPowers(form) {
  const filter = form.querySelector(".app-basis-filter");
  if (!filter) return;
  const input = filter.querySelector("input");
  const count = filter.querySelector(".app-basis-filter__count");
  const items = [...document.getElementById(input.getAttribute("aria-controls")).querySelectorAll(".govuk-checkboxes__item")];
  filter.hidden = false;
  input.addEventListener("input", () => {
    const wanted = words(input.value);
    let shown = 0;
    for (const item of items) {
      // A ticked power stays in sight, so nobody unticks what they cannot see.
      const show = item.querySelector("input").checked || wanted.every((word) => item.textContent.toLowerCase().includes(word));
      item.classList.toggle("app-basis-columns__item--filtered-out", !show);
      shown += show ? 1 : 0;
    }
    // Said aloud as well as shown: a screen reader user cannot see the list shrink.
    count.textContent = wanted.length ? `${shown} of ${items.length} powers shown` : "";
  });
  // Enter here means "find", never "save the form".
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
}

const form = document.querySelector("[data-module='app-party-form']");
if (form) {
  keepChosenListed(form);
  filterPowers(form);
}
