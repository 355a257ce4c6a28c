// Quick exit: replace this page with a neutral site so the back button does not return here.
// Loaded from our own origin (the Content Security Policy allows no inline script).
(function () {
  "use strict";
  var FALLBACK = "https://www.bbc.co.uk/weather";
  function neutralUrl() {
    var link = document.querySelector("[data-quick-exit]");
    return (link && link.href) || FALLBACK;
  }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.classList.add("is-leaving");
    // replace() swaps this entry in the history, so Back does not come back to the material.
    window.location.replace(neutralUrl());
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (link) { leave(event); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    // Esc also closes pickers and clears fields: while the visitor is typing, only the button leaves.
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing) { leave(event); }
  });
})();
