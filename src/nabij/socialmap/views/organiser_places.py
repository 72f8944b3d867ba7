"""Organiser pages for places: add, change, archive. Access rules: see `views.organiser`."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nabij.core.models import Municipality
from nabij.socialmap import services
from nabij.socialmap.forms import PlaceForm, add_service_error
from nabij.socialmap.views.organiser import organisation_for, organisation_url, organiser_page, place_for


@organiser_page
def place_create(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    organisation = organisation_for(request, municipality, uid)
    form = PlaceForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De plek is toegevoegd."))
            return redirect(organisation_url(municipality, organisation))
    return render(
        request,
        "socialmap/organiser/place_form.html",
        {"municipality": municipality, "organisation": organisation, "form": form, "place": None},
        status=400 if form.errors else 200,
    )


@organiser_page
def place_update(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    place = place_for(request, municipality, uid)
    form = PlaceForm(request.POST or None, municipality=municipality, instance=place)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            if changes:
                services.place_update(actor=request.user, place=place, **changes)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De plek is opgeslagen.") if changes else _("Er was niets veranderd."))
            return redirect(organisation_url(municipality, place.organisation))
    return render(
        request,
        "socialmap/organiser/place_form.html",
        {"municipality": municipality, "organisation": place.organisation, "form": form, "place": place},
        status=400 if form.errors else 200,
    )


@organiser_page
def place_archive(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    place = place_for(request, municipality, uid)
    if request.method == "POST":
        services.place_archive(actor=request.user, place=place)
        messages.success(request, _("De plek is gearchiveerd."))
        return redirect(organisation_url(municipality, place.organisation))
    return render(
        request,
        "socialmap/organiser/confirm_archive.html",
        {
            "municipality": municipality,
            "title": _("Plek archiveren"),
            "name": place.name,
            "explanation": _(
                "Je kunt de plek dan niet meer kiezen voor een activiteit. Activiteiten die hier al zijn, "
                "houden de plek. Je kunt dit daarna niet zelf terugdraaien."
            ),
            "cancel_url": organisation_url(municipality, place.organisation),
        },
    )
