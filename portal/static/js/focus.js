// Every page: after an HTMX swap, focus stays where the user is. When the swap replaced the
// focused control, focus goes to the same control in the new content (same id, or same
// form field name); when the new content carries a refusal, to its first invalid field or
// its message (after a refused submission, never after a search); otherwise to the swapped region. Focus never falls back to the page body.
(function () {
  "use strict";

  var before = null;

  function describe(element) {
    if (!element || element === document.body) return null;
    return { id: element.id, name: element.getAttribute("name"), form: element.form && element.form.id };
  }

  function sameControl(memory) {
    if (memory.id) {
      var byId = document.getElementById(memory.id);
      if (byId) return byId;
    }
    if (memory.name && memory.form) {
      var form = document.getElementById(memory.form);
      var named = form && form.elements[memory.name];
      if (named && typeof named.focus !== "function") named = named[0];  // radios, a list
      if (named) return named;
    }
    return null;
  }

  function focusable(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    return element;
  }

  document.addEventListener("htmx:beforeSwap", function () {
    before = describe(document.activeElement);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && !target.isConnected && target.id) {
      target = document.getElementById(target.id);  // an outerHTML swap replaced it
    }
    var lost = document.activeElement === document.body || document.activeElement === null;
    var config = event.detail.requestConfig;
    var sent = config && config.verb && config.verb !== "get";  // searches keep the typing focus
    var refused = sent && event.detail.xhr && event.detail.xhr.status >= 400;
    var refusal = refused && target && target.querySelector && target.querySelector(
      "[aria-invalid=true], .has-error input, .has-error select, .has-error textarea, .error[role=alert]"
    );
    if (refusal && target.contains(refusal)) {
      focusable(refusal).focus();
    } else if (lost && before) {
      var again = sameControl(before);
      if (again) again.focus();
      else if (target && target.isConnected) focusable(target).focus();
    }
    before = null;
  });
})();
