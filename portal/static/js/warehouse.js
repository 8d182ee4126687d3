/* Warehouse screens: live checks while receiving and grading, the scan field, error swaps.
   The server renders the same words first (portal/warehouse/page.py: flag_summary,
   remaining_words), so the pages read the same without JavaScript. The words themselves,
   in the reader's language, come with each form (data-words, page.live_words): this file
   only fills in the numbers. No inline scripts anywhere: the Content-Security-Policy
   allows scripts from 'self' only. */
(function () {
  "use strict";

  function wordsOf(form) {
    try {
      return JSON.parse(form.dataset.words || "{}");
    } catch (error) {
      return {};
    }
  }

  // A message with {name} placeholders filled in.
  function fill(message, values) {
    return (message || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  // A counted message: its form for one, or for more.
  function counted(words, key, n, values) {
    values.num = n;
    return fill(words[key + (n === 1 ? "_one" : "_other")], values);
  }

  function wholeNumber(input) {
    var value = (input && input.value || "").trim();
    return /^\d+$/.test(value) ? parseInt(value, 10) : null;
  }

  function lineStatus(words, expected, received) {
    if (received === null) {
      return { kind: "unknown", words: words.enter_number };
    }
    if (received < expected) {
      return { kind: "short", words: fill(words.short_by, { count: expected - received }) };
    }
    if (received > expected) {
      return { kind: "over", words: fill(words.over_by, { count: received - expected }) };
    }
    return { kind: "ok", words: words.as_authorized };
  }

  function flagSummary(words, short, over, unexpected, missing) {
    if (missing) {
      return words.missing;
    }
    var parts = [];
    if (short.length) {
      parts.push(counted(words, "short", short.length, { which: short.join("; ") }));
    }
    if (over.length) {
      parts.push(counted(words, "over", over.length, { which: over.join("; ") }));
    }
    if (unexpected) {
      parts.push(counted(words, "unexpected", unexpected, {}));
    }
    if (!parts.length) {
      return words.nothing_flagged;
    }
    return fill(words.flagged, { parts: parts.join(", ") });
  }

  function checkReceipt(form) {
    var words = wordsOf(form);
    var short = [], over = [], missing = 0, unexpected = 0;
    form.querySelectorAll("tr[data-line]").forEach(function (row) {
      var expected = parseInt(row.dataset.expected, 10);
      var received = wholeNumber(row.querySelector("input[type=number]"));
      var status = lineStatus(words, expected, received);
      row.className = "line-" + status.kind;
      var flag = row.querySelector("[data-status]");
      flag.textContent = status.words;
      flag.className = "flag flag-" + status.kind;
      if (status.kind === "unknown") {
        missing += 1;
      } else if (status.kind !== "ok") {
        (status.kind === "short" ? short : over).push(
          fill(words.line_of, { sku: row.dataset.sku, received: received, expected: expected }));
      }
    });
    form.querySelectorAll("tr[data-unexpected]").forEach(function (row) {
      var filled = Array.prototype.some.call(row.querySelectorAll("input"), function (input) {
        return input.value.trim() !== "";
      });
      unexpected += filled ? 1 : 0;
    });
    var summary = form.querySelector("#receipt-summary");
    summary.textContent = flagSummary(words, short, over, unexpected, missing);
    summary.classList.toggle("has-flags", short.length + over.length + unexpected > 0);
  }

  function remainingWords(words, graded, received) {
    if (graded === received) {
      return fill(words.all_graded, { received: received });
    }
    var values = { graded: graded, received: received };
    if (graded < received) {
      values.left = received - graded;
      return fill(words.left, values);
    }
    values.extra = graded - received;
    return fill(words.too_many, values);
  }

  function checkGrading(form) {
    var received = parseInt(form.dataset.received, 10);
    var graded = 0;
    form.querySelectorAll("input[data-grade]").forEach(function (input) {
      graded += wholeNumber(input) || 0;
    });
    var counter = form.querySelector("[data-remaining]");
    counter.textContent = remainingWords(wordsOf(form), graded, received);
    counter.classList.toggle("done", graded === received);
    counter.classList.toggle("over", graded > received);
  }

  document.addEventListener("input", function (event) {
    var receipt = event.target.closest("[data-receipt-form]");
    if (receipt) {
      checkReceipt(receipt);
    }
    var grading = event.target.closest("[data-grade-form]");
    if (grading) {
      checkGrading(grading);
    }
  });

  document.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var form = remove.closest("[data-receipt-form]");
      remove.closest("tr").remove();
      if (form) {
        checkReceipt(form);
      }
    }
  });

  // A new unexpected-item row: type into it straight away.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "unexpected-rows") {
      var rows = event.detail.target.querySelectorAll("tr[data-unexpected]");
      var last = rows[rows.length - 1];
      if (last) {
        last.querySelector("input").focus();
      }
    }
  });

  // Refused grading (422) or a clash with someone else (409) comes back as the line's
  // panel with the reason: show it rather than drop it, as htmx does with errors.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 422 || status === 409) && target && target.matches("[data-grade-form]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a scan that found nothing the number stays in the field, selected, so the next
  // scan replaces it.
  document.addEventListener("DOMContentLoaded", function () {
    var scan = document.querySelector("[data-scan]");
    if (scan) {
      scan.focus();
      scan.select();
    }
  });
})();
