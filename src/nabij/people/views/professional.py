"""Professional pages: caseload, a new profile with consent, a profile, its measurements.

Professionals and coordinators of the municipality, after the second factor. Each page reads a
profile for one purpose (`?doel=support|referral|contact`) through people.selectors, which checks
the consent for it and writes the audit entry; without that consent the profile is a 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.people import selectors, services
from nabij.people.forms import CaseloadFilterForm, ConsentGiveForm, LadderForm, LonelinessForm, ProfileCreateForm
from nabij.people.instruments import ITEMS
from nabij.people.models import ConsentPurpose, ResidentProfile

WORKERS = permissions.PROFILE_WORKERS


def _purpose(request: HttpRequest) -> str:
    value = request.POST.get("doel") or request.GET.get("doel") or ConsentPurpose.SUPPORT
    return value if value in permissions.PROFILE_READ_PURPOSES else ConsentPurpose.SUPPORT


def _profile(request: HttpRequest, key: UUID, purpose: str) -> ResidentProfile:
    return selectors.profile_for(request.user, key, purpose, request=request)


def _profile_to_measure(request: HttpRequest, key: UUID, purpose: str) -> ResidentProfile:
    # Without consent for support or a referral there is nothing to record here: 404.
    return selectors.profile_for(request.user, key, purpose, request=request, also=permissions.can_record_measurement)


def _detail_url(municipality: Municipality, profile: ResidentProfile, purpose: str) -> str:
    url = reverse("people:profile_detail", kwargs={"municipality": municipality.slug, "key": profile.key})
    return f"{url}?{urlencode({'doel': purpose})}"


def _add_service_error(form: Any, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@municipality_page(*WORKERS, personal_data=True)
def caseload(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = CaseloadFilterForm(request.GET or None)
    purpose = form.purpose()
    mine = bool(form.is_valid() and form.cleaned_data.get("mijn"))
    page = selectors.caseload_for(
        request.user, municipality, purpose=purpose, mine=mine, page=request.GET.get("page"), request=request
    )
    query = urlencode({"doel": purpose, **({"mijn": "on"} if mine else {})})
    return render(
        request,
        "people/caseload.html",
        {"municipality": municipality, "form": form, "page": page, "purpose": purpose, "query": query},
    )


@municipality_page(*WORKERS, personal_data=True)
def profile_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ProfileCreateForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(
                actor=request.user, municipality=municipality, consents=form.consents(), **form.profile_fields()
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Het profiel is gemaakt, met de toestemming die de bewoner gaf."))
            readable = [p for p in permissions.PROFILE_READ_PURPOSES if p in form.cleaned_data["purposes"]]
            if readable:
                return redirect(_detail_url(municipality, profile, readable[0]))
            return redirect("people:caseload", municipality=municipality.slug)
    return render(
        request,
        "people/profile_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.errors else 200,
    )


def _detail_context(request: HttpRequest, profile: ResidentProfile, purpose: str) -> dict[str, Any]:
    return {
        "profile": profile,
        "purpose": purpose,
        "purpose_label": ConsentPurpose(purpose).label,
        "facts": selectors.profile_facts(profile, get_language() or "nl"),
        "consents": selectors.consent_statuses(profile),
        "may_record": permissions.can_record_measurement(request.user, profile),
    }


@municipality_page(*WORKERS, personal_data=True)
def profile_detail(request: HttpRequest, municipality: Municipality, key: UUID) -> HttpResponse:
    purpose = _purpose(request)
    profile = _profile(request, key, purpose)
    context = _detail_context(request, profile, purpose)
    context.update(municipality=municipality, consent_form=ConsentGiveForm())
    return render(request, "people/profile_detail.html", context)


@municipality_page(*WORKERS, personal_data=True)
@require_POST
def profile_consent(request: HttpRequest, municipality: Municipality, key: UUID) -> HttpResponse:
    purpose = _purpose(request)
    profile = _profile(request, key, purpose)
    if request.POST.get("action") == "revoke":
        target = request.POST.get("purpose", "")
        try:
            services.consent_revoke(actor=request.user, profile=profile, purpose=target)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("De toestemming voor %(purpose)s is ingetrokken.") % {"purpose": ConsentPurpose(target).label},
            )
        if target == purpose:
            # The page was read for this purpose; without the consent it may not be read again.
            return redirect("people:caseload", municipality=municipality.slug)
        return redirect(_detail_url(municipality, profile, purpose))
    form = ConsentGiveForm(request.POST)
    if form.is_valid():
        try:
            services.consent_give(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect(_detail_url(municipality, profile, purpose))
    context = _detail_context(request, profile, purpose)
    context.update(municipality=municipality, consent_form=form)
    return render(request, "people/profile_detail.html", context, status=400)


@municipality_page(*WORKERS, personal_data=True)
def loneliness_record(request: HttpRequest, municipality: Municipality, key: UUID) -> HttpResponse:
    purpose = _purpose(request)
    profile = _profile_to_measure(request, key, purpose)
    version = 6 if (request.POST.get("versie") or request.GET.get("versie")) == "6" else 11
    form = LonelinessForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            measurement = services.loneliness_record(
                actor=request.user,
                profile=profile,
                version=version,
                answers=form.answers(),
                measured_on=form.cleaned_data["measured_on"],
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            if measurement.total is None:
                messages.warning(
                    request,
                    _("De vragenlijst is opgeslagen. Er ontbreken te veel antwoorden voor een totaalscore."),
                )
            else:
                messages.success(
                    request,
                    _("De vragenlijst is opgeslagen. Score %(total)s: %(category)s.")
                    % {"total": measurement.total, "category": measurement.get_category_display()},
                )
            return redirect(_detail_url(municipality, profile, purpose))
    return render(
        request,
        "people/loneliness_form.html",
        {
            "municipality": municipality,
            "profile": profile,
            "purpose": purpose,
            "form": form,
            "version": version,
            "item_count": len(ITEMS[version]),
        },
        status=400 if form.errors else 200,
    )


@municipality_page(*WORKERS, personal_data=True)
def ladder_record(request: HttpRequest, municipality: Municipality, key: UUID) -> HttpResponse:
    purpose = _purpose(request)
    profile = _profile_to_measure(request, key, purpose)
    form = LadderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ladder_record(
                actor=request.user,
                profile=profile,
                rung=form.cleaned_data["rung"],
                measured_on=form.cleaned_data["measured_on"],
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("De trede op de participatieladder is opgeslagen."))
            return redirect(_detail_url(municipality, profile, purpose))
    return render(
        request,
        "people/ladder_form.html",
        {"municipality": municipality, "profile": profile, "purpose": purpose, "form": form},
        status=400 if form.errors else 200,
    )
