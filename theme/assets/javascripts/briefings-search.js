// Starts Pagefind's UI in the header panel (extra.briefings.search: pagefind).
// The bundle is at <site root>/pagefind/: the site root, which result links
// need under a subpath such as /repo/, is read off the UI script's own address.
(function () {
  "use strict";
  var panel = document.querySelector("[data-bf-search]");
  var script = document.querySelector('script[src$="pagefind/pagefind-ui.js"]');
  if (!panel || !script || typeof PagefindUI === "undefined") return;
  new PagefindUI({
    element: "#bf-search",
    baseUrl: new URL("../", script.src).pathname,
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Search the briefings" }
  });
  // Pagefind's input has only a placeholder: give it an accessible name (axe-core: label-title-only).
  var label = panel.querySelector("summary").getAttribute("aria-label");
  var input = function () { return panel.querySelector(".pagefind-ui__search-input"); };
  if (input()) input().setAttribute("aria-label", label);
  panel.addEventListener("toggle", function () {
    if (panel.open && input()) {
      input().setAttribute("aria-label", label);
      input().focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.open) {
      panel.open = false;
      panel.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (panel.open && !panel.contains(event.target)) panel.open = false;
  });
})();
