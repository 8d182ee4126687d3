// The header's menu on narrow screens: the button folds the navigation away and opens it
// again. Without this script the navigation stays open and wraps, which still works.
(function () {
  "use strict";

  function setOpen(header, button, open) {
    header.dataset.menu = open ? "open" : "closed";
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".topbar");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) return;
    button.hidden = false;
    setOpen(header, button, false);
    button.addEventListener("click", function () {
      setOpen(header, button, header.dataset.menu !== "open");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.dataset.menu === "open") {
        setOpen(header, button, false);
        button.focus();
      }
    });
  });
})();
