/* Long text is never cut silently: every textarea with a maxlength, and every text input
 * allowing 100 characters or more, shows how much of it is used ("120 / 5000"). The
 * count is described to screen readers with the field (aria-describedby). */
(function () {
  "use strict";
  var fields = document.querySelectorAll("textarea[maxlength], input[maxlength]");
  fields.forEach(function (field, n) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!limit || (field.tagName === "INPUT" && limit < 100)) { return; }
    var counter = document.createElement("div");
    counter.className = "form-text text-end char-counter";
    counter.id = (field.id || "field-" + n) + "-count";
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? described + " " + counter.id : counter.id);
    var update = function () {
      counter.textContent = field.value.length + " / " + limit;
      counter.classList.toggle("text-danger", field.value.length >= limit);
    };
    field.addEventListener("input", update);
    update();
  });
})();
