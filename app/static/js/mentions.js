/* "@" mentions in the activity form (<form data-mentionable="/leads/7/mentionable">):
 * typing "@" and letters of a name offers the people who may read the activity (asked
 * from the server with the form's "internal" choice); choosing one writes "@Full Name"
 * into the text and keeps the user's id in the hidden input [data-mention-ids]. A name
 * taken out of the text again is no longer sent. Keyboard: arrows, Enter, Escape. */
(function () {
  "use strict";

  function setUp(form) {
    var text = form.querySelector("textarea");
    var ids = form.querySelector("[data-mention-ids]");
    var internal = form.querySelector("input[type=checkbox][name=internal]");
    if (!text || !ids) { return; }
    var chosen = {};  /* name -> id */
    var list = document.createElement("ul");
    list.className = "list-group position-absolute shadow-sm mention-list";
    list.setAttribute("role", "listbox");
    list.id = text.id + "-mentions";
    list.hidden = true;
    text.parentNode.style.position = "relative";
    text.parentNode.appendChild(list);
    text.setAttribute("aria-controls", list.id);
    text.setAttribute("aria-autocomplete", "list");
    var active = -1;
    var request = 0;

    function query() {
      var before = text.value.slice(0, text.selectionStart);
      var match = /(^|\s)@([^@\n]{0,40})$/.exec(before);
      return match ? {start: before.length - match[2].length - 1, words: match[2]} : null;
    }

    function close() { list.hidden = true; list.innerHTML = ""; active = -1; }

    function choose(person) {
      var found = query();
      if (!found) { close(); return; }
      var after = text.value.slice(text.selectionStart);
      var mention = "@" + person.name + " ";
      text.value = text.value.slice(0, found.start) + mention + after;
      var caret = found.start + mention.length;
      text.setSelectionRange(caret, caret);
      chosen[person.name] = person.id;
      close();
      text.focus();
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.classList.toggle("active", i === active); });
      text.setAttribute("aria-activedescendant", items[active].id);
    }

    function show(people) {
      list.innerHTML = "";
      people.forEach(function (person, i) {
        var item = document.createElement("li");
        item.className = "list-group-item list-group-item-action";
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.textContent = person.name;  /* text, never HTML */
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(person); });
        list.appendChild(item);
      });
      list.hidden = people.length === 0;
      active = -1;
      list.people = people;
    }

    text.addEventListener("input", function () {
      var found = query();
      if (!found) { close(); return; }
      var url = form.dataset.mentionable + "?internal=" + (internal && internal.checked ? "1" : "0")
        + "&q=" + encodeURIComponent(found.words.trim());
      var mine = ++request;
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (people) { if (mine === request) { show(people); } })
        .catch(close);
    });

    text.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(list.people[active]); }
      else if (event.key === "Escape") { close(); }
    });
    text.addEventListener("blur", close);

    form.addEventListener("submit", function () {
      var kept = Object.keys(chosen).filter(function (name) {
        return text.value.indexOf("@" + name) !== -1;
      });
      ids.value = kept.map(function (name) { return chosen[name]; }).join(",");
    });
  }

  document.querySelectorAll("form[data-mentionable]").forEach(setUp);
})();
