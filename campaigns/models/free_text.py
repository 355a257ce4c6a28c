"""The warning every free-text box carries where someone could type about a child.

The system holds counts, never case data about children. Boxes for access needs, register notes and
group names are read by staff and kept until retention blanks them, so each says plainly what not to
write and where a concern about a child goes instead.
"""

NO_CHILD_NAMES = (
    "Do not write a child's name or anything that identifies a child. "
    "If you are worried about a child, follow your safeguarding procedure or call 999 in an emergency."
)

GROUP_NAME_HELP = "The name of the school or group, never the name of a child."
