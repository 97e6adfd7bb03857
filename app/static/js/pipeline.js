// Kanban drag and drop for /pipeline. The keyboard alternative is the stage
// select on each card (a plain form that works without this script).
(function () {
  "use strict";
  var board = document.querySelector(".pipeline");
  if (!board) { return; }
  var csrf = board.getAttribute("data-csrf");
  var status = document.getElementById("pipeline-status");
  var dragged = null;

  // A column's count badge ("12", or "50+" when the column shows the newest 50 of more):
  // moved cards change the shown numbers, no count of the table is needed.
  function addToCount(column, change) {
    var badge = column.querySelector("[data-count]");
    if (!badge) { return; }
    var count = parseInt(badge.getAttribute("data-count"), 10) + change;
    badge.setAttribute("data-count", count);
    badge.textContent = count + (badge.hasAttribute("data-more") ? "+" : "");
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".pipeline-card[draggable]") : null;
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-lead"));
  });

  board.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest(".pipeline-column")) { event.preventDefault(); }
  });

  board.addEventListener("drop", function (event) {
    var column = event.target.closest(".pipeline-column");
    if (!dragged || !column) { return; }
    event.preventDefault();
    var card = dragged;
    dragged = null;
    var stage = column.getAttribute("data-stage");
    var body = new URLSearchParams();
    body.set("csrf_token", csrf);
    body.set("stage", stage);
    body.set("version", card.getAttribute("data-version"));
    fetch(card.getAttribute("data-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrf},
      body: body
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    }).then(function (result) {
      if (result.status === 200) {
        card.setAttribute("data-version", result.data.version);
        var version = card.querySelector("input[name=version]");
        if (version) { version.value = result.data.version; }
        var select = card.querySelector("select[name=stage]");
        if (select) { select.value = stage; }
        var from = card.closest(".pipeline-column");
        var heading = column.querySelector("h2");
        heading.parentNode.insertBefore(card, heading.nextSibling);
        if (from !== column) { addToCount(from, -1); addToCount(column, 1); }
        // the stage's name, never its code: "<codename>: <stage>"
        status.textContent = card.querySelector("a").textContent + ": " + column.getAttribute("aria-label");
      } else if (result.status === 422 && result.data.error && result.data.error.form_url) {
        window.location.href = result.data.error.form_url;  // won and lost need their data
      } else {
        window.location.reload();  // stale or refused: show the stored state
      }
    }).catch(function () { window.location.reload(); });
  });
})();
