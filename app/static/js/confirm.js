/* Forms that ask before they submit: <form data-confirm="Delete this node?">.
 * (The Content-Security-Policy allows no inline event handlers such as onsubmit.) */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
