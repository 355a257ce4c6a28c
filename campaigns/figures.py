"""What the figures shown to staff mean, shared by every screen, export and the API that shows them.

Which organisations a campaign aims at (`eligible_q`) is defined here, below every concept, so the
invitations panel, the reach dashboard and the never-reached report all mean the same thing by it.
"""

from django.db.models import Q

from campaigns.models import OrganisationKind, OrganisationStatus
from resources.taxonomy import YEAR_GROUP_AGE_BAND, YEAR_GROUP_START_AGE, AdultAudience, YearGroup

# Schools by this phase are never in a children's campaign aimed at an age band rather than year groups.
NURSERY_PHASE = "Nursery"


def rate(part, whole):
    """`part` as a percentage of `whole`, to one decimal place; None when there is no whole."""
    return round(100.0 * part / whole, 1) if whole else None


def _teaches(start_age, p):
    # A pupil starts the year aged N and turns N+1: the school must teach both ages.
    return Q(**{f"{p}statutory_low_age__lte": start_age, f"{p}statutory_high_age__gte": start_age + 1})


def eligible_q(campaign, prefix=""):
    """Organisations a campaign aims at: open, confirmed, in its local authorities and districts (all
    areas when it names none), and of the kind its audience is:

    - with year groups: schools that teach every one of them;
    - for a children's age band without year groups: schools (not nurseries) that teach a year group
      in the band;
    - for faith and community groups: faith and community organisations;
    - for parents and carers or professionals: no organisation (they come as people, not as groups).
    """
    p = prefix
    q = Q(**{f"{p}status__in": [OrganisationStatus.OPEN, OrganisationStatus.PROPOSED_TO_CLOSE]}) & Q(
        **{f"{p}confirmed": True}
    )
    if campaign.local_authorities:
        q &= Q(**{f"{p}local_authority__in": campaign.local_authorities})
    if campaign.districts:
        q &= Q(**{f"{p}district__in": campaign.districts})
    year_groups = [YearGroup(y) for y in campaign.year_groups if y in YearGroup.values]
    band = [y for y, b in YEAR_GROUP_AGE_BAND.items() if b == campaign.audience]
    if year_groups:
        q &= Q(**{f"{p}kind": OrganisationKind.SCHOOL})
        for year_group in year_groups:
            q &= _teaches(YEAR_GROUP_START_AGE[year_group], p)
    elif band:
        teaches_one = Q()
        for year_group in band:
            teaches_one |= _teaches(YEAR_GROUP_START_AGE[year_group], p)
        q &= Q(**{f"{p}kind": OrganisationKind.SCHOOL}) & teaches_one & ~Q(**{f"{p}phase": NURSERY_PHASE})
    elif campaign.audience == AdultAudience.FAITH_COMMUNITY:
        q &= Q(**{f"{p}kind__in": [OrganisationKind.FAITH, OrganisationKind.COMMUNITY]})
    else:
        q &= Q(**{f"{p}pk__in": []})
    return q


def targets_schools_only(campaign):
    """Whether every organisation a campaign aims at is a school (the never-reached report's title)."""
    return campaign.audience != AdultAudience.FAITH_COMMUNITY or bool(campaign.year_groups)
