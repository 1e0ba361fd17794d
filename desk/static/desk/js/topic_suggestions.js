// Suggested topics: each tick box under the topics field becomes a button that adds its topic
// to the field at once (the select2 autocomplete shows it as chosen). Without JavaScript the
// tick boxes stay, and saving adds the ticked topics. Also: a topic picked by one of its
// aliases ("S-400 — alias: S400") shows as its name once chosen.
"use strict";
(function () {
  function optionFor(select, id) {
    return Array.from(select.options).find(function (option) {
      return option.value === String(id);
    });
  }

  function addTopic(select, id, name) {
    let option = optionFor(select, id);
    if (!option) {
      option = new Option(name, id, false, false);
      select.add(option);
    }
    option.selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function enhance(box, select) {
    const status = document.createElement("p");
    status.className = "topic-suggestions-status";
    status.setAttribute("aria-live", "polite");
    box.after(status);
    box.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      if (input.checked) return; // ticked before this script ran: the save adds it
      const label = input.closest("label");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "topic-suggestion";
      button.dataset.topicId = input.value;
      button.textContent = "+ " + label.textContent.trim();
      button.title = "Add the topic “" + input.dataset.topicName + "”";
      button.addEventListener("click", function () {
        addTopic(select, input.value, input.dataset.topicName);
        const item = button.parentElement;
        const next = item.nextElementSibling || item.previousElementSibling;
        item.remove();
        status.textContent = "Added “" + input.dataset.topicName + "”.";
        const focus = next && next.querySelector("button");
        if (focus) focus.focus();
      });
      label.replaceWith(button);
    });
    // A topic chosen in the field meanwhile is no longer a suggestion. (select2 announces its
    // changes through jQuery, which native listeners do not hear.)
    function dropChosen() {
      box.querySelectorAll("button.topic-suggestion").forEach(function (button) {
        const option = optionFor(select, button.dataset.topicId);
        if (option && option.selected) button.parentElement.remove();
      });
    }
    if (window.django && window.django.jQuery) window.django.jQuery(select).on("change", dropChosen);
    else select.addEventListener("change", dropChosen);
  }

  function showNamesOnceChosen(select) {
    if (!window.django || !window.django.jQuery) return;
    const $select = window.django.jQuery(select);
    $select.on("select2:select", function (event) {
      const data = event.params && event.params.data;
      if (!data || !data.name || data.text === data.name) return;
      // select2 keeps a copy of the result with its option; a fresh option has only the name.
      window.setTimeout(function () {
        const option = optionFor(select, data.id);
        if (!option) return;
        option.replaceWith(new Option(data.name, data.id, true, true));
        $select.trigger("change.select2");
      }, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const select = document.getElementById("id_topics");
    if (!select) return;
    showNamesOnceChosen(select);
    const box = document.getElementById("id_suggested_topics");
    if (box) enhance(box, select);
  });
})();
