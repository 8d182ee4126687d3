/* The workflow designer: draws the diagram, keeps refused edits visible, removes rows.
   No inline scripts anywhere (the Content-Security-Policy allows scripts from 'self' only). */
(function () {
  "use strict";

  var drawn = 0;

  function drawDiagram() {
    var source = document.getElementById("diagram-source");
    var target = document.getElementById("diagram");
    if (!source || !target || !window.mermaid) {
      return;
    }
    drawn += 1;
    var id = "designer-diagram-" + drawn;
    window.mermaid.render(id, source.textContent).then(function (result) {
      target.innerHTML = result.svg;
      target.dataset.drawn = String(drawn);
    }).catch(function (error) {
      target.textContent = "The diagram could not be drawn: " + error.message;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.mermaid) {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
    }
    drawDiagram();
  });

  // Every edit swaps the whole workspace in: redraw the diagram of the new draft.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "workspace") {
      drawDiagram();
    }
  });

  // A refused edit (422) or a stale page (409) comes back as the workspace with the reason:
  // show it instead of dropping it as htmx does with error responses.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Guard and action rows are removed in place; the form is saved with its Save button.
  // A click on the diagram toggles between fitting the column and full size.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (button) {
      button.closest(".ref-row").remove();
      return;
    }
    var diagram = event.target.closest("#diagram");
    if (diagram) {
      diagram.classList.toggle("zoomed");
    }
  });
})();
