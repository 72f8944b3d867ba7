"""Organiser pages: the overview and the organisations (places: organiser_places, activities:
organiser_activities).

Who may: the organisers of an organisation, and the municipality's coordinators and admins for
every organisation (`permissions.can_edit_organisation_offer`). Everything else looks like it does
not exist: another municipality's object, and also another organisation's object in the same
municipality, answers 404 (never 403), so an organiser cannot probe which ids exist. Coordinators
and admins must have passed the second factor: these pages change the map on behalf of every
organisation and the history names the people who changed a profile.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.accounts.models import Role
from nabij.core.models import Municipality
from nabij.socialmap import services
from nabij.socialmap.forms import OrganisationFilterForm, OrganisationForm, add_service_error
from nabij.socialmap.models import Activity, ActivityStatus, Organisation, Place

# Who may open an organiser page at all; each object is then checked on its own.
ORGANISER_PAGE_ROLES = (Role.ORGANISER, *permissions.SOCIAL_MAP_EDITORS)


def organiser_page(view: Any) -> Any:
    return municipality_page(*ORGANISER_PAGE_ROLES, personal_data=True)(view)


# ---------------------------------------------------------------------------------------------
# One door to each object: not found, or not yours, is a 404
# ---------------------------------------------------------------------------------------------


def organisation_for(request: HttpRequest, municipality: Municipality, uid: UUID) -> Organisation:
    organisation = Organisation.objects.filter(municipality=municipality, uid=uid).first()
    if organisation is None or not permissions.can_edit_organisation_offer(request.user, organisation):
        raise Http404
    return organisation


def place_for(request: HttpRequest, municipality: Municipality, uid: UUID) -> Place:
    place = Place.objects.filter(municipality=municipality, uid=uid).select_related("organisation").first()
    if place is None or not permissions.can_edit_organisation_offer(request.user, place.organisation):
        raise Http404
    return place


def activity_for(request: HttpRequest, municipality: Municipality, uid: UUID) -> Activity:
    activity = (
        Activity.objects.filter(municipality=municipality, uid=uid)
        .select_related("organisation", "place", "participation_type")
        .first()
    )
    if activity is None or not permissions.can_edit_organisation_offer(request.user, activity.organisation):
        raise Http404
    return activity


# ---------------------------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------------------------


def barrier_count(mask: int) -> int:
    return bin(mask).count("1")


def offer_of(organisations: Any) -> list[dict[str, Any]]:
    """Each organisation with its places and activities, as the overview tables show them."""
    organisations = organisations.prefetch_related(
        Prefetch("places", queryset=Place.objects.order_by("archived_at", "name")),
        Prefetch("activities", queryset=Activity.objects.select_related("place").order_by("title")),
    )
    result = []
    for organisation in organisations:
        activities = []
        for activity in organisation.activities.all():
            upcoming = activity.next_occurrences(1) if activity.status != ActivityStatus.ARCHIVED else []
            activities.append(
                {
                    "activity": activity,
                    "next": upcoming[0] if upcoming else None,
                    "barriers": barrier_count(activity.barrier_mask),
                }
            )
        result.append(
            {"organisation": organisation, "places": list(organisation.places.all()), "activities": activities}
        )
    return result


@organiser_page
def organiser_home(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    editable = permissions.organisations_edited_by(request.user, municipality)
    context: dict[str, Any] = {
        "municipality": municipality,
        "can_create": permissions.can_create_organisation(request.user, municipality),
    }
    if editable is None:
        # Coordinators and admins: every organisation, to filter and page through.
        form = OrganisationFilterForm(request.GET or None)
        organisations = Organisation.objects.filter(municipality=municipality).annotate(
            activity_count=Count("activities", filter=~Q(activities__status=ActivityStatus.ARCHIVED))
        )
        query = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
        if query:
            organisations = organisations.filter(name__icontains=query)
        page = Paginator(organisations.order_by("name"), 25).get_page(request.GET.get("page"))
        context.update(form=form, page=page, query=query)
        return render(request, "socialmap/organiser/home_all.html", context)
    own = Organisation.objects.filter(municipality=municipality, pk__in=editable).order_by("name")
    context["offers"] = offer_of(own)
    return render(request, "socialmap/organiser/home.html", context)


# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------


@organiser_page
def organisation_detail(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    organisation = organisation_for(request, municipality, uid)
    return render(
        request,
        "socialmap/organiser/organisation_detail.html",
        {
            "municipality": municipality,
            "offer": offer_of(Organisation.objects.filter(pk=organisation.pk))[0],
            "can_archive": permissions.can_archive_organisation(request.user, organisation),
        },
    )


@organiser_page
def organisation_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if not permissions.can_create_organisation(request.user, municipality):
        raise Http404
    form = OrganisationForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De organisatie is toegevoegd."))
            return redirect("socialmap:organisation_detail", municipality=municipality.slug, uid=organisation.uid)
    return render(
        request,
        "socialmap/organiser/organisation_form.html",
        {"municipality": municipality, "form": form, "organisation": None},
        status=400 if form.errors else 200,
    )


@organiser_page
def organisation_update(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    organisation = organisation_for(request, municipality, uid)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise Http404
    form = OrganisationForm(request.POST or None, municipality=municipality, instance=organisation)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            if changes:
                services.organisation_update(actor=request.user, organisation=organisation, **changes)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen.") if changes else _("Er was niets veranderd."))
            return redirect("socialmap:organisation_detail", municipality=municipality.slug, uid=organisation.uid)
    return render(
        request,
        "socialmap/organiser/organisation_form.html",
        {"municipality": municipality, "form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@organiser_page
def organisation_archive(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    organisation = organisation_for(request, municipality, uid)
    if not permissions.can_archive_organisation(request.user, organisation):
        raise Http404
    if request.method == "POST":
        services.organisation_archive(actor=request.user, organisation=organisation)
        messages.success(request, _("De organisatie is gearchiveerd, met haar plekken en activiteiten."))
        return redirect("socialmap:organisation_detail", municipality=municipality.slug, uid=organisation.uid)
    return render(
        request,
        "socialmap/organiser/confirm_archive.html",
        {
            "municipality": municipality,
            "title": _("Organisatie archiveren"),
            "name": organisation.name,
            "explanation": _(
                "De organisatie, al haar plekken en al haar activiteiten worden gearchiveerd. "
                "Bewoners zien ze dan niet meer. De geschiedenis blijft bewaard. "
                "Je kunt dit daarna niet zelf terugdraaien."
            ),
            "cancel_url": organisation_url(municipality, organisation),
        },
    )


def organisation_url(municipality: Municipality, organisation: Organisation) -> str:
    return reverse("socialmap:organisation_detail", kwargs={"municipality": municipality.slug, "uid": organisation.uid})
