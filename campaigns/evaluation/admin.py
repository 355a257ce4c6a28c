"""Staff screens for evaluations: questionnaires (with their questions inline), adults' comments (read only),
a session's quiz screen for the classroom (the code and the link, large), the figures report with its
CSV/XLSX export, and the campaign dashboard's "Did it work?" panel. Figures are suppressed below
EVALUATION_MIN_RESPONDENTS respondents everywhere (campaigns.evaluation.selectors)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.evaluation import selectors, services
from campaigns.models import AdultComment, BookingStatus, Campaign, EvaluationAudience, Questionnaire
from campaigns.policies import forbidden, require_permission
from campaigns.roles import TAKE_REGISTER, VIEW_REACH
from cms import partnership
from cms.exports import TitledExportMixin
from cms.models import SafeguardingSettings
from cms.partnership import ScopedViewSetMixin, must_choose_council
from events.models import Session
from resources.taxonomy import is_child_audience

# --- questionnaires ------------------------------------------------------------------------------------


class _KeepVersionsInStep:
    """After the questionnaire and its questions are saved, each question's answered wording is kept and an
    edited one starts a new version (campaigns.evaluation.services.sync_questionnaire)."""

    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            services.sync_questionnaire(instance)
        return instance


class _OwnCampaignsOnly:
    """A council's staff link a questionnaire to campaigns they may change, at least one, and to no training
    course (courses are the partnership's): otherwise it would be joint work, which only coordinators
    change (cms.partnership, SERVES). The campaigns offered are narrowed by the viewset's scoping."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if must_choose_council(self.request.user):
            if "campaigns" in form.fields:
                form.fields["campaigns"].required = True
                form.fields["campaigns"].help_text = (
                    "Your council's campaigns whose sessions ask this questionnaire (at least one). "
                    "Partnership coordinators link it to joint campaigns."
                )
            if "courses" in form.fields:
                form.fields["courses"].disabled = True
                form.fields["courses"].help_text = (
                    "Training courses are shared by the partnership: a partnership coordinator links "
                    "questionnaires to them."
                )
        return form


class QuestionnaireCreateView(_OwnCampaignsOnly, _KeepVersionsInStep, generic.CreateView):
    pass


class QuestionnaireEditView(_OwnCampaignsOnly, _KeepVersionsInStep, generic.EditView):
    pass


class QuestionnaireViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Questionnaire
    url_prefix = "campaigns/questionnaires"
    url_namespace = "campaigns_questionnaire"
    icon = "help"
    menu_label = "Questionnaires"
    add_view_class = QuestionnaireCreateView
    edit_view_class = QuestionnaireEditView
    list_display = ["name", "audience", "series"]
    list_filter = ["audience", "series"]
    search_fields = ["name", "series"]
    copy_view_enabled = False
    # The campaigns offered are those the user may change (another council's or a joint one is refused).
    partnership_parents = ("campaigns",)


class AdultCommentViewSet(ScopedViewSetMixin, ModelViewSet):
    """What adults wrote in their evaluations: staff read them here; retention removes them."""

    model = AdultComment
    url_prefix = "campaigns/evaluation-comments"
    url_namespace = "campaigns_adultcomment"
    icon = "openquote"
    menu_label = "Evaluation comments"
    list_display = ["text", "question_version", "created_at"]
    list_filter = ["question_version__questionnaire"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["text"]

    @property
    def add_view(self):
        """Comments come only from adults answering an evaluation: the add screen goes back to the list."""
        index = self.get_url_name("index")

        def view(request, *args, **kwargs):
            messages.info(request, "Comments are written by adults answering an evaluation, not added here.")
            return redirect(index)

        return view


# --- the session's quiz screen -----------------------------------------------------------------------


@require_permission(TAKE_REGISTER)
def session_quiz_screen(request, session_id):
    """For the facilitator's tablet or the classroom screen at the end of a session: the quiz link and code
    (the session's, and each school's own so its report shows its pupils)."""
    session = get_object_or_404(
        partnership.scope(Session.objects.select_related("event", "venue"), request.user), pk=session_id
    )
    screens = []
    for questionnaire in selectors.questionnaires_for_session(session):
        bookings = []
        if questionnaire.audience == EvaluationAudience.PUPILS:
            bookings = list(
                session.bookings.filter(status=BookingStatus.CONFIRMED, pupils__gt=0).select_related(
                    "organisation"
                )
            )
        session_code, by_booking = services.codes_for_session(session, questionnaire, bookings)
        screens.append(
            {
                "questionnaire": questionnaire,
                "code": session_code,
                "schools": [(booking, by_booking[booking.pk]) for booking in bookings],
            }
        )
    quiz_url = request.build_absolute_uri(reverse("campaigns:quiz"))
    for screen in screens:  # the address that opens the questions at once (on the facilitator's tablet)
        screen["direct_url"] = f"{quiz_url}?{urlencode({'code': screen['code'].code})}"
    # Who to turn to, for the people in the room: children at a pupils' session, adults otherwise.
    for_pupils = is_child_audience(session.event.audience) or any(
        screen["questionnaire"].audience == EvaluationAudience.PUPILS for screen in screens
    )
    return TemplateResponse(
        request,
        "campaigns/evaluation/session_quiz_screen.html",
        {
            "session": session,
            "screens": screens,
            "quiz_url": quiz_url,
            "now": timezone.now(),
            "for_pupils": for_pupils,
            "help": SafeguardingSettings.for_request(request),
        },
    )


# --- the figures report ---------------------------------------------------------------------------------

REPORT_FIELDS = (
    ("scope", "Campaign"),
    ("questionnaire", "Questionnaire"),
    ("question", "Question"),
    ("phase", "Before or after"),
    ("answer", "Answer"),
    ("count", "Answers"),
    ("respondents", "Respondents"),
    ("response_rate", "Response rate %"),
)


def report_rows(figure_sets):
    """Flat rows of figures, every suppressed value written as "fewer than N"."""
    hidden = selectors.suppressed_text()
    rows = []
    for scope, figures in figure_sets:
        base = {
            "scope": scope,
            "questionnaire": figures.label,
            "respondents": hidden if figures.suppressed else figures.respondents,
            "response_rate": hidden if figures.suppressed else figures.response_rate,
        }
        if not figures.questions:
            rows.append({**base, "question": "", "phase": "", "answer": "", "count": ""})
        for question in figures.questions:
            for phase, entries in question.distribution.items():
                for label, count in entries:
                    rows.append(
                        {
                            **base,
                            "question": f"{question.text} (version {question.version})",
                            "phase": phase,
                            "answer": label,
                            "count": hidden if count is None else count,
                        }
                    )
    return rows


class EvaluationReportView(TitledExportMixin, ReportView):
    page_title = "Quiz and evaluation results"
    header_icon = "help"
    index_url_name = "campaigns_evaluation_report"
    index_results_url_name = "campaigns_evaluation_report_results"
    paginate_by = 200
    columns = [Column(key, label=label) for key, label in REPORT_FIELDS]
    list_export = [key for key, _label in REPORT_FIELDS]
    export_headings = dict(REPORT_FIELDS)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REACH):
            return forbidden(request, VIEW_REACH)
        return super().dispatch(request, *args, **kwargs)

    @property
    def permission_policy(self):
        return None

    def seen_campaigns(self):
        """The user's councils' campaigns and the joint ones (cms.partnership)."""
        return partnership.scope(Campaign.objects.all(), self.request.user)

    def campaign(self):
        """The chosen campaign; None for every campaign. Another council's (or no campaign's) id: 404."""
        value = self.request.GET.get("campaign", "")
        if not value:
            return None
        if value.isascii() and value.isdigit() and len(value) < 12:
            chosen = self.seen_campaigns().filter(pk=int(value)).first()
            if chosen is not None:
                return chosen
        raise Http404("No campaign has that id.")

    def campaigns(self):
        chosen = self.campaign()
        if chosen is not None:
            return [chosen]
        return list(
            self.seen_campaigns().filter(questionnaires__isnull=False).distinct().order_by("starts_on")
        )

    def get_page_subtitle(self):
        chosen = self.campaign()
        return chosen.name if chosen else "Every campaign"

    def get_queryset(self):
        sets = [
            (campaign.name, figures)
            for campaign in self.campaigns()
            for figures in selectors.campaign_figures(campaign)
        ]
        if self.campaign() is None:
            # Training courses are the partnership's: their own questionnaires are shown to everyone here.
            sets += [(f"Training: {name}", figures) for name, figures in selectors.course_only_figures()]
        return report_rows(sets)

    def export_title_rows(self):
        return [
            f"{self.page_title}: {self.get_page_subtitle()}",
            f"Figures from {selectors.suppressed_text()} respondents are not shown.",
            f"Downloaded {timezone.localtime():%d %b %Y %H:%M}",
        ]

    def get_filename(self):
        chosen = self.campaign()
        slug = slugify(chosen.code or chosen.slug) if chosen else "all-campaigns"
        return f"evaluation-{slug}-{timezone.localdate().isoformat()}"


# --- the campaign dashboard's panel -----------------------------------------------------------------------


class EvaluationPanel:
    """Campaign page panel: what pupils and adults answered, suppressed below the minimum respondents."""

    title = "Did it work?"
    order = 75
    template_name = "campaigns/evaluation/panel_evaluation.html"

    def is_shown(self, campaign, request):
        return request.user.has_perm(VIEW_REACH)

    def get_context(self, campaign, request):
        return {
            "figure_sets": selectors.campaign_figures(campaign),
            "suppressed_text": selectors.suppressed_text(),
            "minimum": services.min_respondents(),
            "report_url": reverse("campaigns_evaluation_report") + f"?campaign={campaign.pk}",
            "questionnaires_url": reverse("campaigns_questionnaire:index"),
        }


def admin_urls():
    return [
        path(
            "evaluation/sessions/<int:session_id>/quiz/", session_quiz_screen, name="campaigns_session_quiz"
        ),
        path("evaluation/report/", EvaluationReportView.as_view(), name="campaigns_evaluation_report"),
        path(
            "evaluation/report/results/",
            EvaluationReportView.as_view(results_only=True),
            name="campaigns_evaluation_report_results",
        ),
    ]
