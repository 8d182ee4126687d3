// The policy editor's live check: after each change the server judges the whole policy
// and the editor is drawn again with its messages. Whatever the admin typed or chose
// while that check was on its way is put back into the new editor, with the focus and
// caret where they were, so fast typing is never lost to a redraw. The later of a check
// and a save wins (hx-sync on the form), so a redraw never follows "saved".
(function () {
  "use strict";

  var pending = null;  // name → value typed since the request left, or null when idle

  function inEditor(element) {
    return element && element.closest && element.closest("#policy-editor");
  }

  function remember(event) {
    var field = event.target;
    if (pending === null || !inEditor(field) || !field.name) return;
    pending[field.name] = field.type === "checkbox" ? field.checked : field.value;
  }

  document.addEventListener("input", remember, true);
  document.addEventListener("change", remember, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (inEditor(event.detail.elt)) pending = {};
  });

  var caret = null;  // the focused field's name and selection just before a redraw

  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    if (!event.detail.target || event.detail.target.id !== "policy-editor") return;
    caret = inEditor(active) && active.name
      ? { name: active.name, start: active.selectionStart, end: active.selectionEnd }
      : null;
  });

  function field(editor, name) {
    return editor && editor.querySelector('[name="' + CSS.escape(name) + '"]');
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "policy-editor") return;
    var editor = document.getElementById("policy-editor");
    Object.keys(pending || {}).forEach(function (name) {
      var input = field(editor, name);
      if (!input) return;
      if (input.type === "checkbox") input.checked = pending[name];
      else input.value = pending[name];
    });
    pending = null;
    if (caret && !inEditor(document.activeElement)) {
      var again = field(editor, caret.name);
      if (again) {
        again.focus();
        if (caret.start !== null && caret.start !== undefined) {
          try { again.setSelectionRange(caret.start, caret.end); } catch (e) { /* not a text field */ }
        }
      }
    }
    caret = null;
  });
})();
