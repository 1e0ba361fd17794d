// Counters under fields marked data-counter: characters (against data-limit) or words with a
// reading time. The server refuses what is over a limit; this only says so while typing.
"use strict";
(function () {
  const WORDS_PER_MINUTE = 230;

  function describe(field) {
    const text = field.value;
    if (field.dataset.counter === "words") {
      const words = (text.match(/\S+/g) || []).length;
      const minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
      return { text: words + " words · about " + minutes + " min to read", over: false };
    }
    const count = Array.from(text).length;
    const limit = parseInt(field.dataset.limit, 10);
    if (!limit) return { text: count + " characters", over: false };
    const over = count > limit;
    const rest = over ? (count - limit) + " too many" : (limit - count) + " left";
    return { text: count + " / " + limit + " characters (" + rest + ")", over: over };
  }

  document.querySelectorAll("[data-counter]").forEach(function (field) {
    const counter = document.createElement("div");
    counter.className = "desk-counter help";
    counter.id = field.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    // After the admin's label-and-field row, so the counter sits under the field.
    (field.closest(".flex-container") || field).insertAdjacentElement("afterend", counter);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      const state = describe(field);
      counter.textContent = state.text;
      counter.classList.toggle("desk-counter-over", state.over);
    }
    field.addEventListener("input", update);
    update();
  });
})();
