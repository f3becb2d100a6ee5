"""Moving through a page with the keyboard alone: where focus stops, in which order, and
whether it shows; and how a form's errors are announced."""

from __future__ import annotations

from playwright.sync_api import Page

# What the keyboard run knows about the element in focus, measured in the page: where it
# is, whether it follows the previous stop in the document, and whether its focus shows.
FOCUS_STOP = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = (e) => {
    const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" ");
  };
  const focused = look(el);
  // The same element unfocused: a clone in the same place in the tree, never focused.
  const twin = el.cloneNode(false);
  twin.removeAttribute("id");
  twin.removeAttribute("name");
  twin.setAttribute("tabindex", "-1");
  twin.setAttribute("aria-hidden", "true");
  el.after(twin);
  const unfocused = look(twin);
  twin.remove();
  const box = el.getBoundingClientRect();
  const previous = window.__lastStop;
  window.__lastStop = el;
  const text = el.labels && el.labels[0] ? el.labels[0].innerText : el.innerText || el.value;
  const label = (text || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  return {
    what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} “${label}”`,
    top: box.top + window.scrollY, bottom: box.bottom + window.scrollY,
    left: box.left, right: box.right, width: box.width, height: box.height,
    inViewport: box.bottom > 0 && box.top < window.innerHeight,
    focusShows: focused !== unfocused,
    samePlace: previous === el,
    followsInDocument: !previous || !previous.isConnected ||
      Boolean(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
  };
}
"""


class KeyboardRun:
    """Moves through a page with Tab alone, checking every stop on the way: focus shows,
    the element is on screen, and the order is the reading order (the order of the
    document, which reads top to bottom and, across columns, left to right)."""

    TOLERANCE = 4  # px: baselines of a row's controls differ a little

    def __init__(self, page: Page):
        self.page = page
        # Bootstrap scrolls smoothly unless reduced motion is asked for; the run measures
        # where each stop is once the page has scrolled to it.
        page.emulate_media(reduced_motion="reduce")
        self.problems: list[str] = []
        self.stops = 0
        self.restart()

    def restart(self) -> None:
        """After a page load: the run starts again from the top of the new page."""
        self.seen: list[dict] = []
        self.page.evaluate("() => { window.__lastStop = document.activeElement; }")

    def tab(self, *, shift: bool = False) -> dict:
        self.page.keyboard.press("Shift+Tab" if shift else "Tab")
        stop = self.page.evaluate(FOCUS_STOP)
        assert stop is not None, "Tab left the page"
        if stop["samePlace"]:
            # Between the parts of one native control (a date field's day, month, year and
            # calendar button): the browser draws those focus rings itself.
            return stop
        self.stops += 1
        if not stop["focusShows"]:
            self.problems.append(f"no visible focus on {stop['what']}")
        if not stop["inViewport"] or not stop["width"] or not stop["height"]:
            self.problems.append(f"focused but not on screen: {stop['what']}")
        if not shift:
            self._check_order(stop)
            self.seen.append(stop)
        return stop

    def _check_order(self, stop: dict) -> None:
        if not stop["followsInDocument"]:
            self.problems.append(f"Tab went back in the document to {stop['what']}")
        if not self.seen:
            return
        last = self.seen[-1]
        up = stop["top"] < last["top"] - self.TOLERANCE
        moves_right = stop["left"] >= last["right"] - self.TOLERANCE
        moves_left = stop["right"] <= last["left"] + self.TOLERANCE
        below_all = stop["top"] >= max(s["bottom"] for s in self.seen) - self.TOLERANCE
        # Down the page; along a row; up only into the next column on the right; back to
        # the left only on a new row, below everything before it.
        if (up and not moves_right) or (moves_left and not below_all):
            self.problems.append(
                f"Tab order leaves the reading order: from {last['what']} to {stop['what']}"
            )

    def to(self, locator, *, limit: int = 150) -> None:
        """Tab forward until ``locator`` has the focus."""
        for _ in range(limit):
            if locator.evaluate("el => el === document.activeElement"):
                return
            self.tab()
        raise AssertionError(f"Tab never reached {locator}")

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def press_enter_and_load(page: Page) -> None:
    """Enter on the focused link or button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def assert_errors_announced(page: Page) -> dict[str, str]:
    """Each field marked invalid is described (aria-describedby) by its error message, or,
    for a radio button or checkbox, its group (the fieldset) is: a screen reader reads the
    message on reaching the field. Returns the messages by field id."""
    fields = page.locator("[aria-invalid=true]")
    assert fields.count() > 0, "no field is marked invalid"
    messages = {}
    for field in fields.all():
        errors = field.evaluate(
            """el => {
              const errors = (node) => (node && node.getAttribute("aria-describedby") || "")
                .split(/\\s+/).map((id) => document.getElementById(id))
                .filter((ref) => ref && ref.classList.contains("invalid-feedback"))
                .map((ref) => ref.innerText.trim());
              const own = errors(el);
              return own.length || !["radio", "checkbox"].includes(el.type)
                ? own : errors(el.closest("fieldset"));
            }"""
        )
        field_id = field.get_attribute("id")
        assert errors and all(errors), f"{field_id} is invalid but describes no error message"
        messages[field_id] = " ".join(errors)
    return messages
