// The application form, made kinder where JavaScript runs; without it everything still
// works (every question shows, the server checks every answer).
(function () {
  "use strict";
  var form = document.querySelector(".application-form");
  if (!form) return;
  // Django's JavaScript catalogue (/jsi18n/); English as written if it did not load.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    var i = 0;
    return text.replace(/%s/g, function () { return String(values[i++]); });
  };

  // Screen readers announce the list of problems first.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // The funding opportunity is for non-members; the identity question only matters to a
  // funding request.
  var callout = document.getElementById("funding-callout");
  var identity = document.getElementById("identity-question");
  var funding = form.querySelector("input[name=funding_requested]");
  function syncFunding() {
    var chosen = form.querySelector("input[name=membership]:checked");
    var member = Boolean(chosen && chosen.value === "member");
    if (callout) callout.hidden = member;
    if (identity) identity.hidden = member || !(funding && funding.checked);
  }
  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name === "membership" || name === "funding_requested") syncFunding();
  });
  syncFunding();

  // How long the mentee's paragraph is, against what submitting needs.
  var hopes = form.querySelector("textarea[data-min-words]");
  var counter = document.getElementById("hopes-word-count");
  if (hopes && counter) {
    var min = parseInt(hopes.getAttribute("data-min-words"), 10);
    var countWords = function () {
      var text = hopes.value.trim();
      var words = text ? text.split(/\s+/).length : 0;
      counter.hidden = false;
      // In the page's language (the catalogue comes from /jsi18n/, loaded before this).
      counter.textContent = interpolate(ngettext("%s word", "%s words", words), [words]) +
        (words < min ? " " + interpolate(gettext("(at least %s to submit)"), [min]) : "");
    };
    hopes.addEventListener("input", countWords);
    countWords();
  }

  // Suggest the browser's own time zone when none is chosen yet.
  var zone = form.querySelector("select[name=time_zone]");
  if (zone && !zone.value && window.Intl && Intl.DateTimeFormat) {
    var guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var options = zone.options;
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === guess) { zone.value = guess; break; }
    }
  }

  // Warn before leaving with answers that are not saved.
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
