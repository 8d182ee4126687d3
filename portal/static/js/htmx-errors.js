// Every page: an HTMX request the server refused, or one that never reached it, says so in
// the page's alert line. htmx 2 leaves error answers out of the page, so without this a
// refused click would change nothing and say nothing. Pages that swap their refusals in
// (data-swap-errors, the request pages' own alert) keep doing that.
(function () {
  "use strict";
  var MESSAGES = {
    400: "The request could not be understood. Reload the page and try again.",
    403: "You do not have access to this.",
    404: "This no longer exists, or you do not have access to it. Reload the page.",
    409: "Someone else changed this at the same time. Reload and try again.",
    413: "The upload is too large.",
    422: "This could not be saved as entered. Reload the page and try again.",
    429: "Too many attempts. Wait a moment and try again.",
    503: "The database is not reachable right now. Nothing was saved; try again in a moment.",
  };
  var UNREACHABLE = "Rotaflow could not be reached. Check the connection and try again.";
  var FAILED = "Something went wrong on our side. Nothing was saved.";

  function alertLine() {
    return document.getElementById("htmx-alert");
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
    show(serverMessage(xhr) || MESSAGES[xhr.status] || FAILED);
  });

  document.addEventListener("htmx:sendError", function () {
    show(UNREACHABLE);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var line = alertLine();
    if (line && event.detail.successful) {
      line.hidden = true;
      line.textContent = "";
    }
  });
})();
