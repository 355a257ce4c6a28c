"""Staff screens for partner API tokens: issuing one (shown once) and revoking it."""

from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.models import PartnerToken
from campaigns.partner_api import services as partner_tokens
from cms.errors import ServiceError
from cms.partnership import ScopedViewSetMixin


class PartnerTokenCreateView(CreateView):
    def form_valid(self, form):
        try:
            with transaction.atomic():
                token, raw = partner_tokens.issue_token(
                    form.cleaned_data["name"],
                    user=self.request.user,
                    authority=form.cleaned_data.get("authority"),
                )
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        return render(
            self.request,
            "campaigns/partner_api/partner_token_created.html",
            {"token": token, "raw_token": raw, "index_url": reverse(self.index_url_name)},
        )


class PartnerTokenViewSet(ScopedViewSetMixin, ModelViewSet):
    model = PartnerToken
    url_prefix = "partner-tokens"
    url_namespace = "campaigns_partnertoken"
    icon = "key"
    menu_label = "Partner API tokens"
    form_fields = ["name", "authority", "active"]
    list_display = ["name", "prefix", "authority", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    add_view_class = PartnerTokenCreateView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "prefix",
        "authority",
        "active",
        "created_by",
        "created_at",
        "last_used_at",
    ]
