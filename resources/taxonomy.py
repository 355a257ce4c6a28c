"""The fixed audience taxonomy shared by materials, events and campaigns.

Slugs are a public contract (`/resources/?age=8-10`, `?audience=parents-carers`), so they never change.
Child bands follow the school key stages used by national online-safety education programmes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    AGES_4_7 = "4-7", _("Children aged 4–7 (Key Stage 1)")
    AGES_8_10 = "8-10", _("Children aged 8–10 (Key Stage 2)")
    AGES_11_13 = "11-13", _("Young people aged 11–13 (Key Stage 3)")
    AGES_14_18 = "14-18", _("Young people aged 14–18 (Key Stage 4 and sixth form)")


class AdultAudience(models.TextChoices):
    PARENTS_CARERS = "parents-carers", _("Parents and carers")
    FAITH_COMMUNITY = "faith-community", _("Faith and community groups")
    PROFESSIONALS = "professionals", _("Professionals")


class Audience(models.TextChoices):
    """Every audience: the four child bands, then the adult audiences."""

    AGES_4_7 = AgeBand.AGES_4_7.value, AgeBand.AGES_4_7.label
    AGES_8_10 = AgeBand.AGES_8_10.value, AgeBand.AGES_8_10.label
    AGES_11_13 = AgeBand.AGES_11_13.value, AgeBand.AGES_11_13.label
    AGES_14_18 = AgeBand.AGES_14_18.value, AgeBand.AGES_14_18.label
    PARENTS_CARERS = AdultAudience.PARENTS_CARERS.value, AdultAudience.PARENTS_CARERS.label
    FAITH_COMMUNITY = AdultAudience.FAITH_COMMUNITY.value, AdultAudience.FAITH_COMMUNITY.label
    PROFESSIONALS = AdultAudience.PROFESSIONALS.value, AdultAudience.PROFESSIONALS.label


CHILD_AUDIENCES = frozenset(AgeBand.values)


def is_child_audience(slug):
    return slug in CHILD_AUDIENCES


class Sector(models.TextChoices):
    EDUCATION = "education", _("Education")
    SOCIAL_CARE = "social-care", _("Social care")
    FOSTER_CARE = "foster-care", _("Foster care")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    TAXI_PRIVATE_HIRE = "taxi-private-hire", _("Taxi and private hire")
    ELECTED_MEMBERS = "elected-members", _("Elected members")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


class YearGroup(models.TextChoices):
    RECEPTION = "R", _("Reception")
    YEAR_1 = "Y1", _("Year 1")
    YEAR_2 = "Y2", _("Year 2")
    YEAR_3 = "Y3", _("Year 3")
    YEAR_4 = "Y4", _("Year 4")
    YEAR_5 = "Y5", _("Year 5")
    YEAR_6 = "Y6", _("Year 6")
    YEAR_7 = "Y7", _("Year 7")
    YEAR_8 = "Y8", _("Year 8")
    YEAR_9 = "Y9", _("Year 9")
    YEAR_10 = "Y10", _("Year 10")
    YEAR_11 = "Y11", _("Year 11")
    YEAR_12 = "Y12", _("Year 12")
    YEAR_13 = "Y13", _("Year 13")


# Age of pupils on 1 September (England): Year N pupils are N+4 then and turn N+5 during the year.
# Bands follow key stages: KS1 R-Y2, KS2 Y3-Y6, KS3 Y7-Y9, KS4 and sixth form Y10-Y13.
YEAR_GROUP_START_AGE = {
    YearGroup.RECEPTION: 4,
    **{YearGroup(f"Y{n}"): n + 4 for n in range(1, 14)},
}

YEAR_GROUP_AGE_BAND = {
    YearGroup.RECEPTION: AgeBand.AGES_4_7,
    YearGroup.YEAR_1: AgeBand.AGES_4_7,
    YearGroup.YEAR_2: AgeBand.AGES_4_7,
    YearGroup.YEAR_3: AgeBand.AGES_8_10,
    YearGroup.YEAR_4: AgeBand.AGES_8_10,
    YearGroup.YEAR_5: AgeBand.AGES_8_10,
    YearGroup.YEAR_6: AgeBand.AGES_8_10,
    YearGroup.YEAR_7: AgeBand.AGES_11_13,
    YearGroup.YEAR_8: AgeBand.AGES_11_13,
    YearGroup.YEAR_9: AgeBand.AGES_11_13,
    YearGroup.YEAR_10: AgeBand.AGES_14_18,
    YearGroup.YEAR_11: AgeBand.AGES_14_18,
    YearGroup.YEAR_12: AgeBand.AGES_14_18,
    YearGroup.YEAR_13: AgeBand.AGES_14_18,
}


class DeliveryFormat(models.TextChoices):
    """How a piece of material is meant to be used. Some material is for classrooms only, never assemblies."""

    CLASSROOM = "classroom", "Classroom or small group"
    ASSEMBLY = "assembly", "Assembly"
    ONE_TO_ONE = "one-to-one", "One-to-one"
    AT_HOME = "at-home", "At home"
    STAFF_TRAINING = "staff-training", "Staff training"
