// The request pages: quick line picking, validation answers swapped in, single submits.
// Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  // Refusals (422) and oversized uploads (413) carry the form with its message: show
  // them like any answer. htmx 2 leaves 4xx responses out by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422 || status === 413) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var alert = document.getElementById("request-alert");
    if (!alert) return;
    var status = event.detail.xhr.status;
    // The words, in the reader's language, are on the alert itself (requests/draft.html).
    alert.textContent =
      alert.getAttribute("data-message-" + status) || alert.getAttribute("data-failed") || "";
    alert.className = "flash flash-error";
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var alert = document.getElementById("request-alert");
    if (alert && event.detail.successful) {
      alert.textContent = "";
      alert.className = "";
    }
  });

  // Typing a quantity ticks the line; clearing it unticks it.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-pick]")) return;
    var box = document.getElementById(input.getAttribute("data-pick"));
    if (box && !box.disabled) box.checked = input.value.trim() !== "";
  });

  // The header box ticks every line of the page that can still be returned.
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!all.matches || !all.matches("input[data-check-all]")) return;
    var table = all.closest("table");
    table.querySelectorAll("input[name=pick]:not([disabled])").forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // A second click on Submit would post the same form again: the server answers with the
  // same RMA, but there is no need to ask twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-submit-once")) {
      if (form.dataset.sent === "true") {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "true";
    }
  });
})();

// The draft page: after lines are added, focus goes to the first new line's quantity (or
// to the lines' heading when only quantities grew), and the policy panel's one-line
// summary is read out whenever it changes.
(function () {
  "use strict";

  var known = null;
  var announced = null;

  function lineIds() {
    return Array.prototype.map.call(document.querySelectorAll("#lines tr[id^=line-]"), function (row) {
      return row.id;
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "pick-form") known = lineIds();
  });

  // After the swap (afterRequest comes after afterSwap in htmx 2), before settling.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!known || !event.detail.elt || event.detail.elt.id !== "pick-form") return;
    if (event.detail.successful) {
      var fresh = lineIds().filter(function (id) { return known.indexOf(id) === -1; });
      var row = fresh.length ? document.getElementById(fresh[0]) : null;
      var target = (row && row.querySelector("input.qty")) || document.getElementById("lines-title");
      if (target) target.focus();
    }
    known = null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    var summary = document.querySelector("[data-policy-summary]");
    var status = document.getElementById("policy-status");
    if (summary && status && summary.textContent !== announced) {
      announced = summary.textContent;
      // The words, in the reader's language, are on the live region (requests/draft.html).
      var words = status.getAttribute("data-announce") || "{summary}";
      status.textContent = words.replace("{summary}", announced);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-policy-summary]");
    if (summary) announced = summary.textContent;  // read out changes, not the first state
  });
})();
