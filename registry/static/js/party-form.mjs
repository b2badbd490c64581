// The party form's help over controls that work without it: the authority found by typing part
// of its name (or its code), the chosen legal bases listed at the top as they are ticked, and a
// filter over the statutory powers. Loaded as a module file, so the CSP needs no 'unsafe-inline'.

const words = (text) => text.toLowerCase().split(/\s+/).filter(Boolean);

// An authority matches when every word typed is in its name or its code.
function matching(options, query) {
  const wanted = words(query);
  return options.filter((option) => wanted.every((word) => `${option.text} ${option.value}`.toLowerCase().includes(word)));
}

function enhanceAuthority(form) {
  const select = form.querySelector("select#authority_code");
  if (!select || !window.accessibleAutocomplete) return;
  const options = [...select.options].filter((option) => option.value);
  const choose = (option) => { select.value = option ? option.value : ""; };
  const named = (text) => options.find((option) => option.text.toLowerCase() === text.trim().toLowerCase());
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    source: (query, populate) => populate(matching(options, query).map((option) => option.text)),
    // Leaving the box with no suggestion picked must not keep an authority chosen earlier.
    onConfirm: (text) => choose(named(text || document.getElementById("authority_code").value)),
  });
  // Enter in the box sends the form without leaving it: say what the box says, not an older pick.
  form.addEventListener("submit", () => {
    const typed = document.getElementById("authority_code").value;
    const found = matching(options, typed);
    choose(named(typed) || (found.length === 1 ? found[0] : null));
  });
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
      item.textContent = form.querySelector(`label[for='${box.id}']`).textContent.trim();
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
  enhanceAuthority(form);
  keepChosenListed(form);
  filterPowers(form);
}
