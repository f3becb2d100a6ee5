"""How much a person may type into a free-text field. Every text field people fill in (on
the site and in admin) has one of these limits, or a smaller one of its own; a longer
answer is refused beside the field with its count ("at most 5000 characters (it has
5210)"), and nothing typed is lost.

Generous for what each holds, and far below what would burden a page, an email or an
export (a megabyte pasted into a goal was taken before).
"""

# An answer, a note, a comment, a goal's part: a few paragraphs.
PROSE_MAX_LENGTH = 5_000
# Text staff write for a page or an email: a newsletter's news, an activity's steps.
PAGE_MAX_LENGTH = 20_000
