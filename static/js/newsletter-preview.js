// The newsletter preview frame grows to the email's own height, so the whole issue reads
// without a second scroll bar. The frame is sandboxed without scripts; same-origin only so
// this page can measure it.
(function () {
  "use strict";
  function fit(frame) {
    var page = frame.contentDocument && frame.contentDocument.documentElement;
    if (page) {
      frame.style.height = page.scrollHeight + 24 + "px";
    }
  }
  document.querySelectorAll("iframe[data-fit-content]").forEach(function (frame) {
    frame.addEventListener("load", function () { fit(frame); });
    fit(frame);
  });
})();
