// An authority chosen from a long select by typing part of its name (or its code), with
// alphagov's accessible-autocomplete. The select stays in the form and is what is sent, so the
// page works without JavaScript and the server only ever sees a code from the list.

const words = (text) => text.toLowerCase().split(/\s+/).filter(Boolean);

// An authority matches when every word typed is in its name or its code.
function matching(options, query) {
  const wanted = words(query);
  return options.filter((option) => wanted.every((word) => `${option.text} ${option.value}`.toLowerCase().includes(word)));
}

function enhance(select) {
  const id = select.id;
  const options = [...select.options].filter((option) => option.value);
  const choose = (option) => { select.value = option ? option.value : ""; };
  const named = (text) => options.find((option) => option.text.toLowerCase() === text.trim().toLowerCase());
  const chosen = select.selectedOptions[0];
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: chosen && chosen.value ? chosen.text : "",
    source: (query, populate) => populate(matching(options, query).map((option) => option.text)),
    // Leaving the box with no suggestion picked must not keep an authority chosen earlier.
    onConfirm: (text) => choose(named(text || document.getElementById(id).value)),
  });
  // Enter in the box sends the form without leaving it: say what the box says, not an older pick.
  select.form.addEventListener("submit", () => {
    const typed = document.getElementById(id).value;
    const found = matching(options, typed);
    choose(named(typed) || (found.length === 1 ? found[0] : null));
  });
}

if (window.accessibleAutocomplete) {
  document.querySelectorAll("select[data-module='app-authority-select']").forEach(enhance);
}
