// Long work shows how far it is: an element with data-progress-url holds a fragment the
// server renders from the rows (counts); while the fragment says the work is running
// (data-running="yes"), fetch it again every few seconds and put it in place. A static
// file, since the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var EVERY_MS = 3000;

  function running(box) {
    var fragment = box.querySelector("[data-running]");
    return fragment !== null && fragment.getAttribute("data-running") === "yes";
  }

  function poll(box) {
    if (!running(box)) return;
    window.setTimeout(function () {
      fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) return;
          box.innerHTML = html;
          poll(box);
        })
        .catch(function () { poll(box); });
    }, EVERY_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-progress-url]").forEach(poll);
  });
})();
