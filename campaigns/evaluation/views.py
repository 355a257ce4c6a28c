"""Public pages: the quiz (type the code, answer, thank you) and a school's printable report.

No login, no names, and no cookie: the form carries its own signed ticket (whose nonce makes a replayed
submission count once), so it needs no CSRF cookie; a forged post could only add one anonymous set of
answers, which anyone with the code on the screen can do anyway. Codes are short, so lookups are limited
per client and submissions per code (cms.ratelimit)."""

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from campaigns.evaluation import selectors, services
from campaigns.evaluation.forms import CodeForm, QuestionnaireForm
from campaigns.models import Booking, EvaluationAudience
from cms.errors import ServiceError
from cms.ratelimit import WINDOW_SECONDS, allow, allow_key

REPORT_SALT = "campaigns.evaluation.school_report"


def _too_many(request):
    response = render(request, "campaigns/evaluation/too_many.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def _code_page(request, form, status=200):
    return render(request, "campaigns/evaluation/code.html", {"form": form}, status=status)


def _questions_page(request, code, form, status=200):
    return render(
        request,
        "campaigns/evaluation/questions.html",
        {
            "code": code,
            "questionnaire": code.questionnaire,
            "form": form,
            "ticket": services.new_ticket(code),
            "for_pupils": code.questionnaire.audience == EvaluationAudience.PUPILS,
        },
        status=status,
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def quiz(request):
    """/quiz/: the code form; /quiz/?code=…: the questions; a POST of the questions: counted, then thanks."""
    if request.method == "GET" and "code" not in request.GET:
        return _code_page(request, CodeForm())
    source = request.GET if request.method == "GET" else request.POST
    code_form = CodeForm(source)
    if not code_form.is_valid():
        return _code_page(request, code_form, status=400)
    if not allow("quiz-code", request, getattr(settings, "EVALUATION_CODE_TRIES_PER_MINUTE", 10)):
        return _too_many(request)
    try:
        code = services.find_code(code_form.cleaned_data["code"])
    except ServiceError as exc:
        code_form.add_error("code", exc.message)
        return _code_page(request, code_form, status=410 if exc.code == "expired" else 404)
    versions = services.current_versions(code.questionnaire)
    audience = code.questionnaire.audience
    if request.method == "GET":
        return _questions_page(request, code, QuestionnaireForm(versions=versions, audience=audience))
    limit = getattr(settings, "EVALUATION_SUBMISSIONS_PER_CODE_PER_MINUTE", 60)
    if limit and not allow_key("quiz-submit", code.code, limit):
        return _too_many(request)
    form = QuestionnaireForm(request.POST, versions=versions, audience=audience)
    try:
        nonce = services.read_ticket(request.POST.get("ticket"), code)
    except ServiceError as exc:
        form.is_valid()
        form.add_error(None, exc.message)
        return _questions_page(request, code, form, status=400)
    if not form.is_valid():
        return _questions_page(request, code, form, status=400)
    choices, comments = form.answers()
    try:
        services.submit(code, nonce, choices, comments)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _questions_page(request, code, form, status=400)
    return redirect("campaigns:quiz_thanks")


@never_cache
def quiz_thanks(request):
    return render(request, "campaigns/evaluation/thanks.html")


# --- a school's report ------------------------------------------------------------------------------


def school_report_token(booking):
    return signing.dumps(booking.pk, salt=REPORT_SALT)


def school_report(request, token):
    try:
        booking_pk = signing.loads(token, salt=REPORT_SALT)
    except signing.BadSignature:
        return render(request, "campaigns/link_not_valid.html", status=404)
    booking = (
        Booking.objects.select_related("session__event", "campaign", "organisation")
        .filter(pk=booking_pk)
        .first()
    )
    report = selectors.school_figures(booking) if booking is not None else None
    if report is None:
        return render(request, "campaigns/link_not_valid.html", status=404)
    response = render(
        request,
        "campaigns/evaluation/school_report.html",
        {
            **report,
            "rows": selectors.side_by_side(report["own"], report["campaign"]),
            # In the reader's language ("fewer than 5"), where staff screens and the API keep the English.
            "suppressed_text": _("fewer than %(count)s") % {"count": selectors.min_respondents()},
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- a trainee's personal link ----------------------------------------------------------------------


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _trainee_page(request, record, questionnaire, form, status=200):
    return render(
        request,
        "campaigns/evaluation/trainee.html",
        {"record": record, "questionnaire": questionnaire, "form": form},
        status=status,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def trainee_evaluation(request, token):
    """/evaluation/<token>/: the adults' evaluation from a trainee's personal link; answering issues their
    certificate. The answers are counted anonymously for the session; the link is only what lets the
    certificate go. No cookie (the token in the address is the form's only key)."""
    try:
        record = services.record_from_trainee_token(token)
    except ServiceError as exc:
        return _private(
            render(
                request,
                "campaigns/evaluation/trainee_not_valid.html",
                {"message": exc.message, "expired": exc.code == "expired"},
                status=410 if exc.code == "expired" else 404,
            )
        )
    questionnaire = selectors.trainee_questionnaire(record)
    if not record.awaiting_evaluation or questionnaire is None:
        return _private(render(request, "campaigns/evaluation/trainee_done.html", {"record": record}))
    versions = services.current_versions(questionnaire)
    if request.method == "GET":
        form = QuestionnaireForm(versions=versions, audience=questionnaire.audience)
        return _private(_trainee_page(request, record, questionnaire, form))
    form = QuestionnaireForm(request.POST, versions=versions, audience=questionnaire.audience)
    if not form.is_valid():
        return _private(_trainee_page(request, record, questionnaire, form, status=400))
    choices, comments = form.answers()
    try:
        services.submit_for_trainee(record, questionnaire, choices, comments)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _private(_trainee_page(request, record, questionnaire, form, status=400))
    return redirect("campaigns:trainee_evaluation", token=token)
