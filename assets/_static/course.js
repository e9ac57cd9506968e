/* Book-wide behaviour the theme does not give.
   - Language tabs (Erlang, Elixir, Akka) are synced across the whole book: picking one
     picks it in every tab set, on this page and the next ones (kept in localStorage).
   - Accessibility repairs of the theme's markup, each found by axe-core
     (tests/book/test_accessibility.py): the sidebar's expand buttons get a name, code
     blocks that scroll sideways can be reached with the keyboard, the references list has
     list items, and the colour-mode button says which mode it is in. */
(function () {
  "use strict";
  var KEY = "rl-tab-language";

  function labelOf(input) {
    var label = input.parentElement.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : null;
  }

  function pick(language) {
    document.querySelectorAll(".sd-tab-set > input[type=radio]").forEach(function (input) {
      if (labelOf(input) === language && !input.checked) input.checked = true;
    });
  }

  function nameSidebarToggles() {
    document.querySelectorAll("summary").forEach(function (summary) {
      if (summary.textContent.trim() || summary.hasAttribute("aria-label")) return;
      var item = summary.parentElement && summary.parentElement.parentElement;
      var link = item && item.querySelector(":scope > a");
      summary.setAttribute("aria-label",
        link ? "Sections of " + link.textContent.trim() : "Show more");
    });
  }

  function focusableScrollingCode() {
    document.querySelectorAll("pre").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1 && !pre.hasAttribute("tabindex")) {
        pre.setAttribute("tabindex", "0");
        pre.setAttribute("role", "region");
        pre.setAttribute("aria-label", "Code, scrolls sideways");
      }
    });
  }

  function listReferences() {
    document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]').forEach(
      function (entry) { entry.setAttribute("role", "listitem"); });
  }

  function nameColourModeButton() {
    var button = document.querySelector(".theme-switch-button");
    if (!button) return;
    button.querySelectorAll("[title]").forEach(function (icon) {
      icon.removeAttribute("title");
    });
    var say = function () {
      var mode = document.documentElement.dataset.mode || "auto";
      button.setAttribute("aria-label", "Colour mode: " +
        (mode === "auto" ? "system settings" : mode));
    };
    say();
    new MutationObserver(say).observe(document.documentElement,
      {attributes: true, attributeFilter: ["data-mode"]});
  }

  function setup() {
    nameSidebarToggles();
    focusableScrollingCode();
    listReferences();
    nameColourModeButton();
    window.addEventListener("resize", focusableScrollingCode);
    var saved = null;
    try { saved = window.localStorage.getItem(KEY); } catch (e) { /* private mode */ }
    if (saved) pick(saved);
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.matches || !input.matches(".sd-tab-set > input[type=radio]")) return;
      var language = labelOf(input);
      if (!language) return;
      pick(language);
      try { window.localStorage.setItem(KEY, language); } catch (e) { /* private mode */ }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
