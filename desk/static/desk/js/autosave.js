// Autosave: a few seconds after typing stops, post the article form to the server's
// per-person autosave slot (the form's data-autosave-url). The article itself is not saved.
"use strict";
(function () {
  const DELAY_MS = 3000;

  function start(form) {
    const url = form.dataset.autosaveUrl;
    const status = form.querySelector("[data-autosave-status]");
    let timer = null;
    let dirty = false;
    let submitting = false;
    // What the server has (or the page came with): only a different form is worth sending.
    let kept = snapshot();

    function snapshot() {
      return new URLSearchParams(new FormData(form)).toString();
    }

    function say(text) {
      if (status) status.textContent = text;
    }

    function save(keepalive) {
      if (!dirty || submitting) return;
      dirty = false;
      const body = new FormData(form);
      const sent = new URLSearchParams(body).toString();
      if (sent === kept) return;
      fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: !!keepalive })
        .then(function (response) {
          return response.json().then(function (data) {
            if (response.ok) {
              kept = sent;
              say(data.message);
            } else {
              dirty = true;
              say("Not autosaved: " + (data.error || "the server refused it."));
            }
          });
        })
        .catch(function () {
          dirty = true;
          say("Not autosaved: no connection. Your text is still in this form.");
        });
    }

    function changed() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // The admin's autocompletes (select2) announce changes through jQuery only.
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      clearTimeout(timer);
    });
    // A closing tab still gets its last words kept.
    window.addEventListener("pagehide", function () {
      clearTimeout(timer);
      save(true);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        clearTimeout(timer);
        save(true);
      }
    });
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(start);
})();
