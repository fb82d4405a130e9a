// Starts Pagefind's UI in the header panel (extra.briefings.search: pagefind).
// Nothing of Pagefind loads with the page: its UI script and stylesheet are
// fetched the first time the panel opens, so a reader who never searches
// downloads none of it. The bundle is at <site root>/pagefind/; the site root,
// which result links need under a subpath such as /repo/, is read off this
// script's own address (<root>/assets/javascripts/briefings-search.js).
(function () {
  "use strict";
  var panel = document.querySelector("[data-bf-search]");
  var self = document.currentScript;
  if (!panel || !self) return;
  var root = new URL("../../", self.src);
  var label = panel.querySelector("summary").getAttribute("aria-label");
  var loading = null;

  function input() { return panel.querySelector(".pagefind-ui__search-input"); }

  function focusInput() {
    // Pagefind's input has only a placeholder: give it an accessible name (axe-core: label-title-only).
    if (panel.open && input()) {
      input().setAttribute("aria-label", label);
      input().focus();
    }
  }

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("pagefind/pagefind-ui.css", root).href;
      // Before briefings.css, whose rules colour the UI from Material's palette.
      var ours = document.querySelector('link[href$="briefings.css"]');
      document.head.insertBefore(css, ours);
      var js = document.createElement("script");
      js.src = new URL("pagefind/pagefind-ui.js", root).href;
      js.onload = resolve;
      js.onerror = function () { loading = null; js.remove(); reject(); };
      document.head.appendChild(js);
    }).then(function () {
      new PagefindUI({
        element: "#bf-search",
        baseUrl: root.pathname,
        showSubResults: false,
        showImages: false,
        resetStyles: false,
        translations: { placeholder: "Search the briefings" }
      });
    });
    return loading;
  }

  panel.addEventListener("toggle", function () {
    if (!panel.open) return;
    load().then(focusInput, function () { /* offline or missing bundle: try again on the next open */ });
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
