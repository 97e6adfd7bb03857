/* The stage form shows only the section of the chosen outcome: the reason and comment
 * for "avslutad utan etablering", the decision, jobs and investment for "etablerad". */
(function () {
  "use strict";
  document.querySelectorAll("form[data-stage-form]").forEach(function (form) {
    var select = form.querySelector("select[name=stage]");
    var show = function () {
      form.querySelectorAll("fieldset[data-outcome]").forEach(function (section) {
        section.hidden = section.dataset.outcome !== select.value;
      });
    };
    select.addEventListener("change", show);
    show();
  });
})();
