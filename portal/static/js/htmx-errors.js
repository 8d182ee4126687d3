// Every page: an HTMX request the server refused, or one that never reached it, says so in
// the page's alert line. htmx 2 leaves error answers out of the page, so without this a
// refused click would change nothing and say nothing. Pages that swap their refusals in
// (data-swap-errors, the request pages' own alert) keep doing that. The words, in the
// reader's language, are on the alert line itself (templates/base.html).
(function () {
  "use strict";
  function alertLine() {
    return document.getElementById("htmx-alert");
  }

  // The alert line's words for ``name`` (data-<name>), "" when it has none.
  function words(name) {
    var line = alertLine();
    return (line && line.getAttribute("data-" + name)) || "";
  }

  function show(text) {
    var line = alertLine();
    if (!line) return;
    line.textContent = text;
    line.hidden = false;
  }

  function serverMessage(xhr) {
    var header = xhr.getResponseHeader("X-Message");
    if (!header) return "";
    try {
      return decodeURIComponent(header);
    } catch (error) {
      return "";
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    // The request pages announce their own errors next to the form.
    if (document.getElementById("request-alert")) return;
    var xhr = event.detail.xhr;
    show(serverMessage(xhr) || words("message-" + xhr.status) || words("failed"));
  });

  document.addEventListener("htmx:sendError", function () {
    show(words("unreachable"));
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var line = alertLine();
    if (line && event.detail.successful) {
      line.hidden = true;
      line.textContent = "";
    }
  });
})();
