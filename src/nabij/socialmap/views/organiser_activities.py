"""Organiser pages for activities: add, change, publish, the drempelscan and the profile history.

Access rules: see `views.organiser`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.core.models import Municipality
from nabij.socialmap import services
from nabij.socialmap.activity_forms import ACTIVITY_FIELD_MAP, ActivityForm, ActivityStatusForm
from nabij.socialmap.forms import DrempelscanForm, add_service_error, barrier_labels
from nabij.socialmap.models import (
    Activity,
    ActivityStatus,
    Barrier,
    BarrierProfileChange,
    TargetGroup,
)
from nabij.socialmap.views.organiser import activity_for, barrier_count, organisation_for, organiser_page

NEXT_DATES = 5
# The last drempelscan's result, kept in the session for the page after the redirect.
DREMPELSCAN_SESSION_KEY = "socialmap_drempelscan"


def activity_url(activity: Activity, page: str = "activity_update") -> str:
    return reverse(f"socialmap:{page}", kwargs={"municipality": activity.municipality.slug, "uid": activity.uid})


@organiser_page
def activity_create(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    organisation = organisation_for(request, municipality, uid)
    form = ActivityForm(request.POST or None, municipality=municipality, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        fields = form.activity_fields()
        try:
            activity = services.activity_create(
                actor=request.user,
                organisation=organisation,
                domains=form.cleaned_data["domains"],
                themes=form.cleaned_data["themes"],
                **fields,
            )
        except ValidationError as error:
            add_service_error(form, error, ACTIVITY_FIELD_MAP)
        else:
            messages.success(
                request,
                _("De activiteit is opgeslagen als concept. Kijk of de data kloppen en publiceer hem dan."),
            )
            return redirect(activity_url(activity))
    return render(
        request,
        "socialmap/organiser/activity_form.html",
        {"municipality": municipality, "organisation": organisation, "form": form, "activity": None},
        status=400 if form.errors else 200,
    )


@organiser_page
def activity_update(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    activity = activity_for(request, municipality, uid)
    form = ActivityForm(
        request.POST or None, municipality=municipality, organisation=activity.organisation, instance=activity
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.activity_fields().items() if getattr(activity, name) != value}
        try:
            with transaction.atomic():
                if changes:
                    services.activity_update(actor=request.user, activity=activity, **changes)
                tags = services.activity_set_classifications(
                    actor=request.user,
                    activity=activity,
                    domains=form.cleaned_data["domains"],
                    themes=form.cleaned_data["themes"],
                )
        except ValidationError as error:
            add_service_error(form, error, ACTIVITY_FIELD_MAP)
        else:
            changed = bool(changes) or tags
            messages.success(request, _("De activiteit is opgeslagen.") if changed else _("Er was niets veranderd."))
            return redirect(activity_url(activity))
    if form.errors:
        # What is stored, not what was typed: the dates below must match the activity as it is.
        activity.refresh_from_db()
    return render(
        request,
        "socialmap/organiser/activity_form.html",
        {
            "municipality": municipality,
            "organisation": activity.organisation,
            "form": form,
            "activity": activity,
            "next_dates": activity.next_occurrences(NEXT_DATES),
            "barriers": barrier_count(activity.barrier_mask),
        },
        status=400 if form.errors else 200,
    )


STATUS_MESSAGES = {
    ActivityStatus.PUBLISHED: _("De activiteit is gepubliceerd. Iedereen kan hem nu vinden."),
    ActivityStatus.DRAFT: _("De activiteit is weer een concept. Bewoners zien hem niet meer."),
    ActivityStatus.ARCHIVED: _("De activiteit is gearchiveerd."),
}


@require_POST
@organiser_page
def activity_status(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    activity = activity_for(request, municipality, uid)
    form = ActivityStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies publiceren, terug naar concept of archiveren."))
        return redirect(activity_url(activity))
    try:
        services.activity_set_status(actor=request.user, activity=activity, status=form.cleaned_data["status"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(STATUS_MESSAGES[ActivityStatus(form.cleaned_data["status"])]))
    return redirect(activity_url(activity))


# ---------------------------------------------------------------------------------------------
# Drempelscan and history
# ---------------------------------------------------------------------------------------------


def _barriers(activity: Activity) -> list[Barrier]:
    return list(Barrier.objects.filter(municipality=activity.municipality_id).order_by("bit"))


@organiser_page
def drempelscan(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    activity = activity_for(request, municipality, uid)
    barriers = _barriers(activity)
    form = DrempelscanForm(
        request.POST or None, barriers=barriers, mask=activity.barrier_mask, derived=services.derive_barriers(activity)
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.drempelscan(actor=request.user, activity=activity, answers=form.answers())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            request.session[DREMPELSCAN_SESSION_KEY] = {
                "activity": str(activity.uid),
                "mask": result.new_mask,
                "suggestions": result.suggestions,
            }
            messages.success(request, _("Je antwoorden zijn opgeslagen."))
            return redirect(activity_url(activity, "drempelscan_result"))
    return render(
        request,
        "socialmap/organiser/drempelscan.html",
        {"municipality": municipality, "activity": activity, "form": form},
        status=400 if form.errors else 200,
    )


def group_counts(mask: int, municipality: Municipality) -> list[dict[str, Any]]:
    """Per target group of the municipality: how many of its barriers the activity has."""
    language = get_language() or "nl"
    return [
        {
            "group": group,
            "name": group.name_en if language.startswith("en") and group.name_en else group.name_nl,
            "count": barrier_count(mask & group.sensitivity_mask),
        }
        for group in TargetGroup.objects.filter(municipality=municipality).order_by("code")
    ]


@organiser_page
def drempelscan_result(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    activity = activity_for(request, municipality, uid)
    stored = request.session.get(DREMPELSCAN_SESSION_KEY) or {}
    # The service's own suggestions (with the activity's cost or group size) while the profile is
    # as the scan left it; otherwise the catalogue's advice.
    suggestions: dict[str, str] = (
        stored.get("suggestions", {})
        if stored.get("activity") == str(activity.uid) and stored.get("mask") == activity.barrier_mask
        else {}
    )
    language = get_language() or "nl"
    present = [
        {
            "barrier": barrier,
            "label": barrier.label(language),
            "suggestion": suggestions.get(barrier.code) or barrier.how_to_lower,
        }
        for barrier in _barriers(activity)
        if activity.barrier_mask & barrier.mask and not barrier.relational
    ]
    return render(
        request,
        "socialmap/organiser/drempelscan_result.html",
        {
            "municipality": municipality,
            "activity": activity,
            "present": present,
            "groups": group_counts(activity.barrier_mask, municipality),
        },
    )


@organiser_page
def activity_history(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    activity = activity_for(request, municipality, uid)
    barriers = {b.bit: b for b in _barriers(activity)}
    changes = BarrierProfileChange.objects.filter(activity=activity).select_related("actor").order_by("-at", "-pk")
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "change": change,
            "added": barrier_labels(change.new_mask & ~change.old_mask, barriers),
            "removed": barrier_labels(change.old_mask & ~change.new_mask, barriers),
        }
        for change in page.object_list
    ]
    return render(
        request,
        "socialmap/organiser/history.html",
        {"municipality": municipality, "activity": activity, "page": page, "rows": rows},
    )
