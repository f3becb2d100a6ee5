// A new person's time zone starts as the browser's: the sign-up form's hidden field
// (data-browser-time-zone) takes it here, since inline scripts are not allowed (CSP).
// They change it later on their application form.
document.addEventListener("DOMContentLoaded", () => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  for (const field of document.querySelectorAll("input[data-browser-time-zone]")) {
    if (!field.value) {
      field.value = zone;
    }
  }
});
