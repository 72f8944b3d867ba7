"""The resident's own data: see it, give or revoke consent per purpose, download it, erase it.

Reading your own data is not audited; exporting and erasing are (services). Someone without a
profile here sees that nothing is stored about them; the actions then answer 404.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.people import selectors, services
from nabij.people.models import ConsentPurpose, ResidentProfile

View = Callable[..., HttpResponse]


def resident_page(view: View) -> View:
    """A page about the logged-in person's own data in this municipality (no role needed)."""

    @municipality_page()
    @wraps(view)
    def wrapped(request: HttpRequest, municipality: Municipality, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, municipality, *args, **kwargs)

    return wrapped


def _own_profile_or_404(request: HttpRequest, municipality: Municipality) -> ResidentProfile:
    profile = selectors.own_profile(request.user, municipality)
    if profile is None:
        raise Http404
    return profile


def _message_for(error: ValidationError) -> str:
    return " ".join(error.messages)


@resident_page
def my_data(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    profile = selectors.own_profile(request.user, municipality)
    context: dict[str, Any] = {"municipality": municipality, "profile": profile}
    if profile is not None:
        context.update(
            facts=selectors.profile_facts(profile, get_language() or "nl"),
            consents=selectors.consent_statuses(profile),
            processing=selectors.processing_of(profile),
        )
    return render(request, "people/my_data.html", context)


@resident_page
@require_POST
def my_consent(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    profile = _own_profile_or_404(request, municipality)
    purpose = request.POST.get("purpose", "")
    action = request.POST.get("action")
    if purpose not in ConsentPurpose.values or action not in ("give", "revoke"):
        messages.error(request, _("Dat ging niet: kies een doel en wat je wilt doen."))
        return redirect("people:my_data", municipality=municipality.slug)
    label = ConsentPurpose(purpose).label
    try:
        if action == "give":
            services.consent_give(actor=request.user, profile=profile, purpose=purpose, given_by=services.GIVEN_BY_SELF)
            messages.success(request, _("Je hebt toestemming gegeven voor: %(purpose)s.") % {"purpose": label})
        else:
            services.consent_revoke(actor=request.user, profile=profile, purpose=purpose)
            messages.success(
                request,
                _("Je toestemming voor %(purpose)s is ingetrokken. Dat geldt meteen.") % {"purpose": label},
            )
    except ValidationError as error:
        messages.error(request, _message_for(error))
    return redirect("people:my_data", municipality=municipality.slug)


@resident_page
def my_export(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    profile = _own_profile_or_404(request, municipality)
    data = services.profile_export(actor=request.user, profile=profile)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"nabij-mijn-gegevens-{municipality.slug}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@resident_page
@require_http_methods(["GET", "POST"])
def my_erase(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    profile = _own_profile_or_404(request, municipality)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Je gegevens zijn niet gewist."))
            return redirect("people:my_data", municipality=municipality.slug)
        services.profile_erase(actor=request.user, profile=profile)
        messages.success(request, _("Je gegevens zijn gewist. Wat nog over is, zegt niet meer wie je bent."))
        return redirect("people:my_data", municipality=municipality.slug)
    return render(
        request,
        "people/confirm_erase.html",
        {"municipality": municipality, "profile": profile, "keeps_scores": profile.has_consent("monitoring")},
    )
