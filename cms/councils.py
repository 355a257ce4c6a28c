"""The partner councils as the public see them: each one's front door, as plain values.

A page that belongs to one council (its event pages, booking and invitation pages) shows that council's
contacts only, named (`council_help`). Every other page offers a choice of area: the banner lists each
council's front door and links to `/help/`, where a postcode is matched offline against each council's
postcode districts (`councils_for_postcode`). Nothing here sets a cookie or calls anyone else's service.
"""

from cms.models import Authority, postcode_district
from cms.page_cache import remembered

PUBLIC_FIELDS = (
    "pk",
    "name",
    "code",
    "is_demo",
    "front_door_phone",
    "front_door_hours",
    "out_of_hours_phone",
    "referral_email",
    "lado_phone",
    "lado_email",
    "website",
    "postcode_districts",
)


def _values(authority):
    return {field: getattr(authority, field) for field in PUBLIC_FIELDS}


def _all_councils():
    return [_values(authority) for authority in Authority.objects.order_by("name")]


def public_councils():
    """Every partner council's public contacts, as plain values, kept until public content changes.

    Saving a council replaces the public content version (cms.page_cache), so an edit shows at once.
    """
    return remembered("partner-councils", _all_councils)


def council_help(authority):
    """The public contacts of one council (an Authority or None) as plain values, or None."""
    if authority is None:
        return None
    return _values(authority)


def belongs_to_council(request, authority):
    """Mark the page being answered as one council's: its help banner then names that council's contacts
    only (`page_council` in the template context). None (a joint event) leaves the choice of area."""
    request.page_council = council_help(authority)


def council_by_code(code):
    """The council (plain values) whose code is `code`, or None. Reads the remembered list."""
    code = str(code or "").strip().lower()
    if not code:
        return None
    return next((council for council in public_councils() if council["code"].lower() == code), None)


def councils_for_postcode(postcode):
    """(district, matching councils, the other councils) for a postcode typed on the help page.

    The district is "" when the text does not look like a postcode; then nothing matches and every council
    is in the second list. Matching uses only each council's own list of postcode districts.
    """
    district = postcode_district(postcode)
    councils = public_councils()
    if not district:
        return "", [], councils
    matches, others = [], []
    for council in councils:
        districts = {str(d).upper().replace(" ", "") for d in council["postcode_districts"]}
        (matches if district in districts else others).append(council)
    return district, matches, others


def council_email_context(authority, *, fallback_reply_to=""):
    """What an email about one council's work carries: `council` (its name and contacts, plain values, or
    None for the partnership's joint work) and `reply_to` (the council's campaign team, else the fallback,
    else empty: replies then go to the sender as before). Stored in the email's context when it is queued."""
    council = council_help(authority)
    return {
        "council": council,
        "run_by_partnership": authority is None,
        "reply_to": (authority.team_email if authority is not None else "") or fallback_reply_to or "",
    }
