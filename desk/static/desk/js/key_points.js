// Key points: "Move up" / "Move down" buttons on each row swap the rows and their position
// numbers; a row added with "Add another" is numbered after the last. Without JavaScript the
// position numbers themselves set the order.
"use strict";
(function () {
  const PREFIX = "key_points";

  function rows(group) {
    return Array.from(group.querySelectorAll("tr.form-row:not(.empty-form)"));
  }

  function positionOf(row) {
    return row.querySelector("input[name$='-position']");
  }

  function swap(group, row, step) {
    const all = rows(group);
    const index = all.indexOf(row);
    const other = all[index + step];
    if (!other) return;
    const mine = positionOf(row);
    const theirs = positionOf(other);
    const value = mine.value;
    mine.value = theirs.value;
    theirs.value = value;
    if (step < 0) other.before(row);
    else other.after(row);
    mine.dispatchEvent(new Event("change", { bubbles: true }));
    row.querySelector(step < 0 ? ".desk-move-up" : ".desk-move-down").focus();
  }

  function addButtons(group, row) {
    const cell = row.querySelector("td.field-position");
    if (!cell || cell.querySelector(".desk-move")) return;
    [["desk-move-up", "↑", "Move up"], ["desk-move-down", "↓", "Move down"]].forEach(function (spec) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "desk-move " + spec[0];
      button.textContent = spec[1];
      button.setAttribute("aria-label", spec[2]);
      button.title = spec[2];
      button.addEventListener("click", function () {
        swap(group, row, spec[0] === "desk-move-up" ? -1 : 1);
      });
      cell.appendChild(button);
    });
  }

  const group = document.getElementById(PREFIX + "-group");
  if (!group) return;
  rows(group).forEach(function (row) { addButtons(group, row); });
  document.addEventListener("formset:added", function (event) {
    if (event.detail.formsetName !== PREFIX) return;
    const row = event.target;
    const numbers = rows(group)
      .filter(function (other) { return other !== row; })
      .map(function (other) { return parseInt(positionOf(other).value, 10) || 0; });
    positionOf(row).value = Math.max(0, ...numbers) + 1;
    addButtons(group, row);
  });
})();
