/* The workflow editor: draws the diagram, saves the live form as the admin types without
   ever replacing the field being typed in, keeps refused edits visible, removes rows.
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
    var text = source.textContent;
    window.mermaid.render(id, text).then(function (result) {
      target.innerHTML = result.svg;
      target.dataset.drawn = String(drawn);
      target.dataset.source = text;
      document.dispatchEvent(new CustomEvent("designer:diagram-drawn"));
    }).catch(function (error) {
      // The words, in the reader's language, are on the diagram's box (_workspace.html).
      target.textContent = (target.dataset.failed || "{reason}").replace("{reason}", error.message);
    });
  }

  function redrawIfChanged() {
    var source = document.getElementById("diagram-source");
    var target = document.getElementById("diagram");
    if (source && target && target.dataset.source !== source.textContent) {
      drawDiagram();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.mermaid) {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
    }
    drawDiagram();
  });

  // --- whole-workspace swaps (buttons, element forms) ------------------------------------

  // Focus and caret survive a swap: the element with the same id gets them back.
  var kept = null;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    // A refused edit (422) or a stale page (409) comes back as the workspace with the
    // reason: show it instead of dropping it as htmx does with error responses.
    if (status === 422 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    var active = document.activeElement;
    kept = active && active.id ? { id: active.id, start: caret(active, "selectionStart"), end: caret(active, "selectionEnd") } : null;
  });

  function caret(element, which) {
    try {
      return element[which];
    } catch (error) {
      return null; // selects and checkboxes have no caret
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "workspace") {
      return;
    }
    redrawIfChanged();
    var again = kept && document.getElementById(kept.id);
    if (again && document.activeElement !== again) {
      again.focus();
      if (typeof kept.start === "number" && again.setSelectionRange) {
        try {
          again.setSelectionRange(kept.start, kept.end);
        } catch (error) { /* not a text field */ }
      }
    }
    kept = null;
  });

  // --- the live form: typing saves, only the preview is refreshed ------------------------

  function isLive(element) {
    return element && element.classList && element.classList.contains("live-form");
  }

  // ``which`` names the status's words, kept on the element in the reader's language
  // (data-unsaved, data-saving, data-failed in _workspace.html).
  function setStatus(which, failed) {
    var status = document.getElementById("save-status");
    if (!status) return;
    status.textContent = status.dataset[which] || "";
    status.classList.toggle("flash", Boolean(failed));
    status.classList.toggle("flash-error", Boolean(failed));
    status.setAttribute("role", failed ? "alert" : "status");
  }

  function replacePreview(fresh) {
    document.querySelectorAll("#workspace [data-preview]").forEach(function (element) {
      var replacement = element.id && fresh.querySelector("#" + CSS.escape(element.id));
      // An unchanged part stays: replacing it would drop a click queued on it (an answer
      // to the question the part asks) while the save it waits for is on its way.
      if (replacement && !element.isEqualNode(replacement)) {
        var node = document.importNode(replacement, true);
        element.replaceWith(node);
        if (window.htmx) window.htmx.process(node);
      }
    });
    document.querySelectorAll("#workspace [data-preview-class]").forEach(function (element) {
      var twin = element.id && fresh.querySelector("#" + CSS.escape(element.id));
      if (twin) element.className = twin.className;
    });
    // Every form of the page says which draft it was made on: they all follow the save.
    var digest = fresh.getAttribute("data-digest");
    var workspace = document.getElementById("workspace");
    if (digest && workspace) {
      workspace.setAttribute("data-digest", digest);
      workspace.querySelectorAll("input[name='base'], input[name$='-base']").forEach(function (input) {
        input.value = digest;
      });
    }
    redrawIfChanged();
  }

  // A refused field shows its message beside it; the field itself is left as typed.
  function replaceFieldErrors(form, freshForm) {
    form.querySelectorAll(".field").forEach(function (wrapper) {
      var control = wrapper.querySelector("[id]");
      var twin = control && freshForm.querySelector("#" + CSS.escape(control.id));
      var freshWrapper = twin && twin.closest(".field");
      if (!freshWrapper) return;
      wrapper.classList.toggle("has-error", freshWrapper.classList.contains("has-error"));
      wrapper.querySelectorAll("small.error").forEach(function (old) { old.remove(); });
      freshWrapper.querySelectorAll("small.error").forEach(function (message) {
        wrapper.appendChild(document.importNode(message, true));
      });
    });
  }

  // "Saved" never stays up over keystrokes the server has not seen yet: each edit is
  // counted, each save remembers the count it carried, and an answer to an older save
  // leaves the status at "Unsaved changes".
  var edits = new WeakMap();

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && isLive(form)) {
      edits.set(form, (edits.get(form) || 0) + 1);
      setStatus("unsaved", false);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (isLive(form)) {
      event.detail.xhr.carriedEdits = edits.get(form) || 0;
      setStatus("saving", false);
    }
  });

  function unsavedSince(form, xhr) {
    return (edits.get(form) || 0) > (xhr.carriedEdits || 0);
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!isLive(form)) return;
    var xhr = event.detail.xhr;
    var html = xhr && (xhr.status === 200 || xhr.status === 422) ? xhr.responseText : "";
    var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("workspace");
    if (!fresh) {
      if (!xhr || xhr.status !== 409) {
        setStatus("failed", true);
      }
      return; // a stale page (409) was swapped in whole, with its explanation
    }
    replacePreview(fresh);
    var freshForm = fresh.querySelector("#" + CSS.escape(form.id));
    if (freshForm) replaceFieldErrors(form, freshForm);
    if (xhr.status === 200 && unsavedSince(form, xhr)) {
      setStatus("unsaved", false); // saved up to here; the rest is on its way
    }
  });

  // A stale page cannot be previewed: it is replaced whole, with the latest draft.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (isLive(event.detail.elt) && event.detail.xhr.status === 409) {
      event.detail.target = document.getElementById("workspace");
      event.detail.swapOverride = "outerHTML";
    }
  });

  // Enter in a live field saves now instead of pressing the form's first button
  // (which would move or remove a step).
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !field.form || !isLive(field.form) || field.tagName === "TEXTAREA") {
      return;
    }
    if (field.tagName === "INPUT" && field.type !== "submit" && field.type !== "button") {
      event.preventDefault();
      if (window.htmx) window.htmx.trigger(field.form, "save-now");
    }
  });

  // Fields that only matter for one choice show with it (data-show-if="select-id=value ...").
  function showFor(select) {
    document.querySelectorAll("[data-show-if]").forEach(function (part) {
      var rule = part.getAttribute("data-show-if").split("=");
      if (rule[0] === select.id) {
        part.hidden = rule[1].split(" ").indexOf(select.value) < 0;
      }
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" && event.target.id) {
      showFor(event.target);
    }
  });

  // Guard and action rows are removed in place; the form is saved with its Save button.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (button) {
      button.closest(".ref-row").remove();
    }
  });
})();
