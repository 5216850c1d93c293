/*
 * Repairs to the markup of Dash 4's own components that OpsMap cannot configure from Python
 * (docs/ACCESSIBILITY.md lists each, with its upstream issue). Every repair is idempotent and
 * re-applied by a MutationObserver, because Dash mounts components late and resets some
 * attributes itself:
 *
 * - dcc.Dropdown: the Tab stop is the dropdown's own button, not the aria-hidden input Dash
 *   puts before it as a Safari focus proxy (axe aria-hidden-focus); the button is named by its
 *   visible label (in a table: its row's header) and its value, since Dash's own reference to
 *   the value breaks on ids with spaces, as pattern-matching ids have (axe
 *   label-content-name-mismatch).
 * - dcc.Checklist and dcc.RadioItems: a list of native checkboxes or radios, not a listbox of
 *   options that each hold an input (axe nested-interactive, aria-input-field-name); OpsMap
 *   wraps each in a fieldset whose legend names the group.
 * - dcc.Upload: the file input is named by the visible label of its upload zone (axe label).
 */
(function () {
  "use strict";

  function visibleLabel(id) {
    if (!id) {
      return null;
    }
    const label = document.querySelector('label[for="' + CSS.escape(id) + '"]');
    if (label && !label.id) {
      label.id = id + "--label";
    }
    return label;
  }

  function rowHeader(control) {
    const cell = control.closest("td");
    const header = cell && cell.parentElement.querySelector("th[scope=row]");
    if (header && !header.id) {
      header.id = "row-" + Math.random().toString(36).slice(2);
    }
    return header;
  }

  function repairDropdown(button) {
    const proxy = button.previousElementSibling;
    if (proxy && proxy.classList.contains("dash-dropdown-focus-target") && proxy.tabIndex !== -1) {
      proxy.tabIndex = -1;
    }
    if (button.tabIndex !== 0) {
      button.tabIndex = 0;
    }
    const label = visibleLabel(button.id) || rowHeader(button);
    const parts = label ? [label.id] : [];
    button.querySelectorAll(".dash-dropdown-value-count, .dash-dropdown-value").forEach(
      function (span) {
        if (!span.id || /\s/.test(span.id)) {
          span.id = "dropdown-" + Math.random().toString(36).slice(2);
        }
        parts.push(span.id);
      }
    );
    const wanted = parts.join(" ");
    if (wanted && button.getAttribute("aria-labelledby") !== wanted) {
      button.setAttribute("aria-labelledby", wanted);
    }
  }

  function repairOptionList(list) {
    if (list.hasAttribute("role")) {
      list.removeAttribute("role");
    }
    list.querySelectorAll(".dash-options-list-option").forEach(function (option) {
      if (option.hasAttribute("role")) {
        option.removeAttribute("role");
      }
      if (option.hasAttribute("aria-selected")) {
        option.removeAttribute("aria-selected");
      }
    });
  }

  function repairUpload(input) {
    const owner = input.parentElement && input.parentElement.closest("[id]");
    const label = owner && visibleLabel(owner.id);
    if (label && input.getAttribute("aria-labelledby") !== label.id) {
      input.setAttribute("aria-labelledby", label.id);
    }
  }

  function repair() {
    document.querySelectorAll("button.dash-dropdown").forEach(repairDropdown);
    document.querySelectorAll(".dash-checklist, .dash-radioitems").forEach(repairOptionList);
    document.querySelectorAll("input[type=file]").forEach(repairUpload);
  }

  let pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      queueMicrotask(function () {
        pending = false;
        repair();
      });
    }
  }

  function start() {
    repair();
    new MutationObserver(schedule).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["tabindex", "role", "aria-selected", "aria-labelledby"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
