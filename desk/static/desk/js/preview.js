// Live preview: a moment after typing stops, post the unsaved form to data-preview-url and
// show the returned page in the sandboxed iframe named by data-preview-frame.
"use strict";
(function () {
  const DELAY_MS = 800;

  function start(form) {
    const frame = document.getElementById(form.dataset.previewFrame);
    if (!frame) return;
    const panel = frame.closest("[data-preview-panel]");
    const status = panel.querySelector("[data-preview-status]");
    const details = panel.querySelector("details");
    let timer = null;
    let latest = 0;

    function refresh() {
      if (details && !details.open) return;
      const request = ++latest;
      fetch(form.dataset.previewUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          if (request !== latest) return;
          frame.srcdoc = html;
          status.textContent = "Updated " + new Date().toLocaleTimeString() + ". Nothing is saved.";
        })
        .catch(function (error) {
          status.textContent = "The preview could not be updated (" + error.message + ").";
        });
    }

    function changed() {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    }

    panel.hidden = false;
    document.body.classList.add("desk-has-preview");
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", changed);
    if (details) details.addEventListener("toggle", function () {
      document.body.classList.toggle("desk-preview-closed", !details.open);
      if (details.open) refresh();
    });
    refresh();
  }

  document.querySelectorAll("form[data-preview-url]").forEach(start);
})();
