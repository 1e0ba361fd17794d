// Key points: "Move up" / "Move down" buttons on each row swap the rows and their position
// numbers, and rows can be dragged (then numbered 1, 2, 3… in their new order); a row added with
// "Add another" is numbered after the last. Without JavaScript the position numbers set the order.
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

  let dragged = null;

  function renumber(group) {
    rows(group).forEach(function (row, index) {
      const position = positionOf(row);
      if (position.value !== String(index + 1)) {
        position.value = String(index + 1);
        position.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function makeDraggable(group, row) {
    // Only the handle starts a drag, so text in the row stays selectable.
    const handle = document.createElement("span");
    handle.className = "desk-drag-handle";
    handle.textContent = "⠿";
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    row.querySelector("td.field-position").appendChild(handle);
    handle.addEventListener("mousedown", function () { row.draggable = true; });
    row.addEventListener("mouseup", function () { row.draggable = false; });
    row.addEventListener("dragstart", function (event) {
      if (event.target !== row) return;
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) row.before(dragged);
      else row.after(dragged);
    });
    row.addEventListener("dragend", function () {
      row.draggable = false;
      if (dragged) renumber(group);
      dragged = null;
    });
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
    makeDraggable(group, row);
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
