// Quick exit: replace this page with a neutral site so the back button does not return here.
(function () {
  "use strict";
  var NEUTRAL = "https://www.bbc.co.uk/weather";
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.display = "none";
    try { window.history.replaceState(null, "", "/"); } catch (e) { /* ignore */ }
    window.location.replace(NEUTRAL);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (link) { leave(event); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { leave(event); }
  });
})();
