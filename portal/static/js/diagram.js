/* The workflow diagram: fits its box, zooms and pans (buttons, or + - 0 and the arrow keys
   while it has focus), and highlights the state being edited. It works on the SVG's
   viewBox, so the drawing stays sharp at any zoom. Drawing is designer.js's job; it
   announces each new drawing with the "designer:diagram-drawn" event. */
(function () {
  "use strict";

  var MIN_ZOOM = 0.5;
  var MAX_ZOOM = 8;
  var STEP = 1.25;
  var PAN = 0.15; // of the visible part, per arrow key

  var whole = null; // the drawing's own viewBox: "fit"
  var view = null; // the part shown, kept across redraws; null is "fit"

  function svg() {
    return document.querySelector("#diagram svg");
  }

  function apply() {
    var drawing = svg();
    if (!drawing || !whole) return;
    var shown = view || whole;
    drawing.setAttribute("viewBox", [shown.x, shown.y, shown.w, shown.h].join(" "));
    var zoom = whole.w / shown.w;
    document.getElementById("diagram").setAttribute("data-zoom", zoom.toFixed(2));
    var status = document.getElementById("diagram-zoom");
    if (status) status.textContent = Math.round(zoom * 100) + "%";
  }

  function setUp() {
    var drawing = svg();
    if (!drawing) return;
    var box = drawing.viewBox && drawing.viewBox.baseVal;
    if (!box || !box.width) return;
    var fresh = { x: box.x, y: box.y, w: box.width, h: box.height };
    // A redraw of the same workflow keeps the zoom and place; another size starts fitted.
    if (!whole || Math.abs(whole.w - fresh.w) > 1 || Math.abs(whole.h - fresh.h) > 1) {
      view = null;
    }
    whole = fresh;
    drawing.style.maxWidth = "none";
    drawing.setAttribute("width", "100%");
    drawing.setAttribute("height", "100%");
    drawing.setAttribute("preserveAspectRatio", "xMidYMid meet");
    apply();
    highlight();
  }

  function zoomBy(factor) {
    if (!whole) return;
    var shown = view || whole;
    var zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, (whole.w / shown.w) * factor));
    var w = whole.w / zoom;
    var h = whole.h / zoom;
    view = { x: shown.x + (shown.w - w) / 2, y: shown.y + (shown.h - h) / 2, w: w, h: h };
    apply();
  }

  function panBy(dx, dy) {
    if (!whole) return;
    var shown = view || whole;
    view = { x: shown.x + dx * shown.w * PAN, y: shown.y + dy * shown.h * PAN, w: shown.w, h: shown.h };
    apply();
  }

  function fit() {
    view = null;
    apply();
  }

  // --- which state is being edited --------------------------------------------------------

  function editedState() {
    var active = document.activeElement;
    var step = active && active.closest && active.closest("#chain .step");
    if (step) {
      var hidden = step.querySelector("input[type=hidden][name$='-state']");
      if (hidden && hidden.value) return hidden.value;
    }
    var element = active && active.closest && active.closest("#states .element");
    if (!element) {
      var open = document.querySelector("#states .element details[open]");
      element = open && open.closest(".element");
    }
    return element ? element.id.replace(/^state-/, "") : "";
  }

  function highlight() {
    var drawing = svg();
    if (!drawing) return;
    drawing.querySelectorAll(".is-editing").forEach(function (node) {
      node.classList.remove("is-editing");
    });
    var name = editedState();
    var caption = document.getElementById("diagram-editing");
    if (caption) caption.textContent = "";
    if (!name) return;
    var pattern = new RegExp("state-s_" + name.replace(/[^a-z0-9_]/g, "") + "-\\d+$");
    drawing.querySelectorAll("g[id]").forEach(function (node) {
      if (pattern.test(node.id)) {
        node.classList.add("is-editing");
        var label = node.textContent.trim();
        if (caption && label) {
          // The words, in the reader's language, are on the caption (_workspace.html).
          caption.textContent = (caption.dataset.highlighted || "{label}").replace("{label}", label);
        }
      }
    });
  }

  document.addEventListener("designer:diagram-drawn", setUp);
  document.addEventListener("focusin", highlight);
  document.addEventListener("toggle", highlight, true); // toggle does not bubble

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-diagram]");
    if (!button) return;
    var action = button.getAttribute("data-diagram");
    if (action === "in") zoomBy(STEP);
    else if (action === "out") zoomBy(1 / STEP);
    else fit();
  });

  var KEYS = {
    "+": function () { zoomBy(STEP); },
    "=": function () { zoomBy(STEP); },
    "-": function () { zoomBy(1 / STEP); },
    "_": function () { zoomBy(1 / STEP); },
    "0": fit,
    ArrowLeft: function () { panBy(-1, 0); },
    ArrowRight: function () { panBy(1, 0); },
    ArrowUp: function () { panBy(0, -1); },
    ArrowDown: function () { panBy(0, 1); },
  };

  document.addEventListener("keydown", function (event) {
    if (!event.target.closest || !event.target.closest("#diagram-viewport")) return;
    var handler = KEYS[event.key];
    if (handler && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      handler();
    }
  });
})();
