/*
 * The operations page's list of locations (the keyboard equivalent of the map): after a row's
 * button opens a location, keyboard focus moves to the side panel's heading, so the next Tab
 * reaches its status form rather than the rest of the list. A click on the map leaves focus
 * where it is.
 */
(function () {
  "use strict";
  let pending = false;

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".location-list .link-button")) {
      pending = true;
    }
  });

  new MutationObserver(function () {
    const heading = pending && document.querySelector("#ops-panel-head h3");
    if (heading) {
      pending = false;
      heading.tabIndex = -1;
      heading.focus();
    }
  }).observe(document.documentElement, { subtree: true, childList: true });
})();
