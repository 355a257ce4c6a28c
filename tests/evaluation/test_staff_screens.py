"""Campaign staff define questionnaires with their questions in the admin, open the classroom quiz screen
from the register, and read figures on the campaign dashboard and in the report, suppressed below five."""

import csv
import io

import pytest
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from campaigns.evaluation import services
from campaigns.models import AnswerCount, Attendance, Questionnaire, QuestionVersion
from campaigns.planning.admin import dashboard_url
from campaigns.roles import CAMPAIGN_STAFF, PARTNER_ANALYSTS, REGISTER_TAKERS
from tests.evaluation.helpers import answer_all, past_campaign_session, pupil_quiz, school_booking
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def _form(fields, campaign):
    """Form data as the browser sends it: the campaigns picked as a list, the questions as a formset."""
    data = nested_form_data(fields)
    data["campaigns"] = [campaign.pk]
    return data


def _questionnaire_post(campaign, audience="pupils", kind="choice", text="Who could you tell?"):
    return _form(
        {
            "name": "Walk Online quiz 2027",
            "audience": audience,
            "series": "walk-online-quiz",
            "introduction": "",
            "questions": inline_formset(
                [
                    {
                        "text": text,
                        "kind": kind,
                        "asked": "after",
                        "options": "A parent or carer\nA teacher\nNobody",
                    }
                ]
            ),
        },
        campaign,
    )


@pytest.fixture
def staff(client):
    client.force_login(member_of(CAMPAIGN_STAFF, "staff"))
    return client


def test_staff_add_a_questionnaire_with_questions_and_it_gets_versions(staff):
    campaign, _ = past_campaign_session()
    response = staff.post("/admin/campaigns/questionnaires/new/", _questionnaire_post(campaign))
    assert response.status_code == 302, response.content.decode()[:3000]
    questionnaire = Questionnaire.objects.get()
    assert list(questionnaire.campaigns.all()) == [campaign]
    version = QuestionVersion.objects.get(questionnaire=questionnaire)
    assert [option.label for option in version.choices.all()] == ["A parent or carer", "A teacher", "Nobody"]


def test_a_pupils_questionnaire_with_a_comment_box_is_refused_and_nothing_saved(staff):
    campaign, _ = past_campaign_session()
    response = staff.post(
        "/admin/campaigns/questionnaires/new/", _questionnaire_post(campaign, kind="free_text")
    )
    assert response.status_code == 200
    assert "hold no free text" in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_editing_an_answered_question_in_the_admin_starts_a_new_version(staff):
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)
    code, _ = services.codes_for_session(session, questionnaire)
    answer_all(code, questionnaire, nonce="one")
    questions = list(questionnaire.questions.order_by("sort_order"))
    data = _form(
        {
            "name": questionnaire.name,
            "audience": "pupils",
            "series": questionnaire.series,
            "introduction": "",
            "questions": inline_formset(
                [
                    {
                        "id": q.pk,
                        "text": q.text + (" (edited)" if i == 0 else ""),
                        "kind": q.kind,
                        "asked": q.asked,
                        "options": q.options,
                        "ORDER": i + 1,
                    }
                    for i, q in enumerate(questions)
                ],
                initial=len(questions),
            ),
        },
        campaign,
    )
    response = staff.post(f"/admin/campaigns/questionnaires/edit/{questionnaire.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    first = questions[0]
    assert list(first.versions.order_by("version").values_list("version", "is_current")) == [
        (1, False),
        (2, True),
    ]
    assert questions[1].versions.count() == 1
    assert AnswerCount.objects.filter(question_version__question=first, question_version__version=1).exists()


def test_the_register_links_to_the_classroom_quiz_screen_with_the_codes(client):
    campaign, session = past_campaign_session()
    booking = school_booking(session)
    pupil_quiz(campaign)
    client.force_login(member_of(REGISTER_TAKERS, "taker"))
    register = client.get(f"/admin/register/{session.pk}/")
    assert f"/admin/evaluation/sessions/{session.pk}/quiz/" in register.content.decode()
    screen = client.get(f"/admin/evaluation/sessions/{session.pk}/quiz/")
    html = screen.content.decode()
    assert screen.status_code == 200
    session_code = session.evaluation_codes.get(booking__isnull=True)
    school_code = session.evaluation_codes.get(booking=booking)
    assert session_code.code in html and school_code.code in html and "/quiz/" in html
    assert "Childline" in html and "<strong>0800 1111</strong>" in html
    # Opening it again shows the same codes.
    assert (
        client.get(f"/admin/evaluation/sessions/{session.pk}/quiz/").content.decode().count(session_code.code)
        >= 1
    )
    assert session.evaluation_codes.count() == 2


def _answered(respondents, attended=30):
    campaign, session = past_campaign_session()
    booking = school_booking(session, pupils=attended)
    Attendance.objects.create(
        session=session, booking=booking, campaign=campaign, pupils=attended, recorded_at=session.starts_at
    )
    questionnaire = pupil_quiz(campaign)
    code, _ = services.codes_for_session(session, questionnaire)
    for n in range(respondents):
        answer_all(code, questionnaire, pick=1, nonce=f"n{n}")
    return campaign


@pytest.mark.parametrize(("respondents", "shown"), [(4, False), (5, True)])
def test_the_dashboard_panel_suppresses_figures_from_fewer_than_five(client, respondents, shown):
    campaign = _answered(respondents)
    client.force_login(member_of(CAMPAIGN_STAFF, "staff"))
    html = client.get(dashboard_url(campaign)).content.decode()
    assert "Did it work?" in html
    assert ("fewer than 5" not in html) is shown
    assert ("Tell an adult you trust 5" in html) is shown
    assert (f"{respondents} respondents, 17% of the 30 who came" in html) is shown


@pytest.mark.parametrize(("respondents", "shown"), [(4, False), (6, True)])
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_suppresses_figures_from_fewer_than_five(client, respondents, shown, export_format):
    campaign = _answered(respondents)
    client.force_login(member_of(PARTNER_ANALYSTS, "analyst"))
    page = client.get("/admin/evaluation/report/", {"campaign": campaign.pk})
    assert page.status_code == 200
    response = client.get("/admin/evaluation/report/", {"campaign": campaign.pk, "export": export_format})
    assert response.status_code == 200
    if export_format == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
    else:
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = [
            [("" if cell is None else str(cell)) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    body = [row for row in rows if "Tell an adult you trust" in row]
    assert body
    counts = {row[5] for row in body}
    assert counts == ({str(respondents)} if shown else {"fewer than 5"})
    assert all(row[6] == (str(respondents) if shown else "fewer than 5") for row in body)


def test_register_takers_cannot_open_the_figures(client):
    client.force_login(member_of(REGISTER_TAKERS, "taker"))
    assert client.get("/admin/evaluation/report/").status_code == 403
