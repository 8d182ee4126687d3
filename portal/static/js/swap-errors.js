// htmx 2 does not swap 4xx responses into the page. Forms inside an element marked
// data-swap-errors answer a refusal (403), a conflict (409) or invalid input (422) with
// the markup that explains it, so those responses are swapped like successes.
(function () {
  "use strict";
  var SHOWN = [403, 409, 422];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var source = detail.requestConfig && detail.requestConfig.elt;
    if (SHOWN.indexOf(detail.xhr.status) === -1 || !source || !source.closest) {
      return;
    }
    if (source.closest("[data-swap-errors]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
