// Long work shows how far it is: an element with data-progress-url is fetched again every
// few seconds while the work runs, and put in place. Two kinds of answer:
// - a fragment the server renders from the rows (counts): while it says the work is
//   running (data-running="yes"), it replaces the element's content;
// - with data-progress-json, JSON ({running, state, ...}): each [data-progress-field=NAME]
//   inside shows the value NAME, [data-running] follows "running", and the elements
//   marked data-progress-when="STATE" show once the work reaches that state.
// A static file, since the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var EVERY_MS = 3000;

  function running(box) {
    var marker = box.querySelector("[data-running]");
    return marker !== null && marker.getAttribute("data-running") === "yes";
  }

  function showJson(box, data) {
    box.querySelectorAll("[data-progress-field]").forEach(function (element) {
      var name = element.getAttribute("data-progress-field");
      if (name in data) element.textContent = String(data[name]);
    });
    box.querySelectorAll("[data-running]").forEach(function (element) {
      element.setAttribute("data-running", data.running ? "yes" : "no");
    });
    box.querySelectorAll("[data-progress-when]").forEach(function (element) {
      element.hidden = element.getAttribute("data-progress-when") !== data.state;
    });
  }

  function poll(box) {
    if (!running(box)) return;
    var json = box.hasAttribute("data-progress-json");
    window.setTimeout(function () {
      fetch(box.getAttribute("data-progress-url"), {
        credentials: "same-origin",
        headers: { Accept: json ? "application/json" : "text/html" },
      })
        .then(function (response) {
          if (!response.ok) return null;
          return json ? response.json() : response.text();
        })
        .then(function (answer) {
          if (answer === null) return;
          if (json) showJson(box, answer);
          else box.innerHTML = answer;
          poll(box);
        })
        .catch(function () { poll(box); });
    }, EVERY_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-progress-url]").forEach(poll);
  });
})();
