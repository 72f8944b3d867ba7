"""The public pages of the social map: the wayfinder, the search list and the activity page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.socialmap.jsonld import event_jsonld
from nabij.socialmap.models import Activity, ActivityStatus, Barrier
from nabij.socialmap.search import (
    ActivityFilter,
    activities_for_me,
    format_distance,
    search_activities,
    walking_distance_m,
)
from nabij.socialmap.wayfinder import (
    BarriersForm,
    SearchForm,
    WayfinderState,
    WhatForm,
    WhereForm,
    iso_week,
    week_calendar,
    week_start,
)

VIEWS = ("lijst", "kaart", "week")
RESULTS = 50
PAGE_SIZE = 20


def _steps(municipality: Municipality, current: int) -> list[dict[str, Any]]:
    names = (
        ("socialmap:wayfinder", _("Wat wil je doen?")),
        ("socialmap:wayfinder_barriers", _("Wat is moeilijk?")),
        ("socialmap:wayfinder_where", _("Waar?")),
        ("socialmap:wayfinder_results", _("Wat past bij jou")),
    )
    return [
        {"number": number, "label": label, "url": reverse(name, args=[municipality.slug]), "current": number == current}
        for number, (name, label) in enumerate(names, start=1)
    ]


def _barrier_labels(municipality: Municipality) -> dict[str, Barrier]:
    return {b.code: b for b in Barrier.objects.filter(municipality=municipality)}


@municipality_page()
@require_http_methods(["GET", "POST"])
def wayfinder(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    state = WayfinderState.load(request.session, municipality)
    form = WhatForm(
        request.POST or None,
        municipality=municipality,
        initial={"types": state.types, "themes": state.themes},
    )
    if request.method == "POST" and form.is_valid():
        state.types, state.themes = form.cleaned_data["types"], form.cleaned_data["themes"]
        state.save(request.session, municipality)
        return redirect("socialmap:wayfinder_barriers", municipality.slug)
    return render(
        request,
        "socialmap/wayfinder/what.html",
        {"municipality": municipality, "form": form, "steps": _steps(municipality, 1)},
    )


@municipality_page()
@require_http_methods(["GET", "POST"])
def wayfinder_barriers(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    state = WayfinderState.load(request.session, municipality)
    form = BarriersForm(request.POST or None, municipality=municipality, initial={"barriers": state.barriers})
    if request.method == "POST" and form.is_valid():
        state.barriers = form.cleaned_data["barriers"]
        state.barriers_answered = True
        state.save(request.session, municipality)
        return redirect("socialmap:wayfinder_where", municipality.slug)
    barriers = list(Barrier.objects.filter(municipality=municipality).order_by("position", "bit"))
    return render(
        request,
        "socialmap/wayfinder/barriers.html",
        {"municipality": municipality, "form": form, "steps": _steps(municipality, 2), "barriers": barriers},
    )


@municipality_page()
@require_http_methods(["GET", "POST"])
def wayfinder_where(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    state = WayfinderState.load(request.session, municipality)
    form = WhereForm(
        request.POST or None,
        municipality=municipality,
        initial={"neighbourhood": state.neighbourhood, "postcode": state.postcode, "distance": state.distance},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        point = data["point"]
        state.neighbourhood = data.get("neighbourhood") or ""
        state.postcode = data.get("postcode") or ""
        state.lat, state.lon = (point.lat, point.lon) if point else (None, None)
        state.distance = data.get("distance")
        state.save(request.session, municipality)
        return redirect("socialmap:wayfinder_results", municipality.slug)
    return render(
        request,
        "socialmap/wayfinder/where.html",
        {"municipality": municipality, "form": form, "steps": _steps(municipality, 3)},
    )


@municipality_page()
@require_POST
def wayfinder_reset(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    WayfinderState.clear(request.session, municipality)
    return redirect("socialmap:wayfinder", municipality.slug)


@municipality_page()
def wayfinder_results(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    state = WayfinderState.load(request.session, municipality)
    view = request.GET.get("weergave", "lijst")
    if view not in VIEWS:
        view = "lijst"
    suggestions = activities_for_me(
        municipality,
        barriers=frozenset(state.barriers),
        near=state.near,
        isolation_type=None,
        filters=state.filters(),
        limit=RESULTS,
    )
    barriers = _barrier_labels(municipality)
    context: dict[str, Any] = {
        "municipality": municipality,
        "steps": _steps(municipality, 4),
        "state": state,
        "suggestions": suggestions,
        "barriers": barriers,
        "chosen_barriers": [barriers[code] for code in state.barriers if code in barriers],
        "view": view,
        "views": [
            ("lijst", _("Lijst")),
            ("kaart", _("Kaart")),
            ("week", _("Weekkalender")),
        ],
    }
    if view == "week":
        monday = week_start(request.GET.get("week"))
        context.update(
            days=week_calendar(suggestions, monday),
            week=iso_week(monday),
            previous_week=iso_week(monday - dt.timedelta(days=7)),
            next_week=iso_week(monday + dt.timedelta(days=7)),
        )
    if view == "kaart":
        context["map_data"] = _map_data(municipality, suggestions, state)
        context["map_tiles"] = settings.NABIJ_MAP_TILES
        context["map_attribution"] = settings.NABIJ_MAP_ATTRIBUTION
    return render(request, "socialmap/wayfinder/results.html", context)


def _map_data(municipality: Municipality, suggestions: list[Any], state: WayfinderState) -> dict[str, Any]:
    markers = []
    for suggestion in suggestions:
        place = suggestion.activity.place
        if place is None or place.lat is None:
            continue
        markers.append(
            {
                "lat": place.lat,
                "lon": place.lon,
                "title": suggestion.activity.title,
                "place": place.name,
                "url": reverse("socialmap:activity_detail", args=[municipality.slug, suggestion.activity.uid]),
                "free_of_barriers": not suggestion.barriers,
            }
        )
    if state.near is not None:
        centre: dict[str, float] | None = {"lat": state.near.lat, "lon": state.near.lon}
    else:
        centre = {"lat": municipality.centroid_lat, "lon": municipality.centroid_lon}
    return {"markers": markers, "centre": centre, "you": state.near is not None}


@municipality_page()
def activity_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = SearchForm(request.GET or None, municipality=municipality)
    page = None
    if not request.GET or form.is_valid():
        filters = form.to_filter() if request.GET else ActivityFilter()
        try:
            activities = search_activities(municipality, filters)
            page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("pagina"))
        except ValidationError as error:
            form.add_validation_error(error)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "socialmap/activity_list.html",
        {
            "municipality": municipality,
            "form": form,
            "page": page,
            "barriers": _barrier_labels(municipality),
            "query": query.urlencode(),
        },
    )


@municipality_page()
def activity_detail(request: HttpRequest, municipality: Municipality, uid: Any) -> HttpResponse:
    activity = (
        Activity.objects.filter(municipality=municipality, uid=uid, status=ActivityStatus.PUBLISHED)
        .select_related("place", "place__neighbourhood", "organisation", "participation_type")
        .prefetch_related("domains", "themes")
        .first()
    )
    if activity is None:
        raise Http404
    barriers = sorted(
        (b for b in Barrier.objects.filter(municipality=municipality) if activity.barrier_mask & b.mask),
        key=lambda b: b.bit,
    )
    state = WayfinderState.load(request.session, municipality)
    mine = [b for b in barriers if b.code in state.barriers]
    distance = None
    place = activity.place
    if state.near and place is not None and place.lat is not None and place.lon is not None:
        distance = format_distance(walking_distance_m(state.near, place.lat, place.lon))
    url = request.build_absolute_uri()
    return render(
        request,
        "socialmap/activity_detail.html",
        {
            "municipality": municipality,
            "activity": activity,
            "barriers": barriers,
            "my_barriers": mine,
            "asked_barriers": state.barriers_answered,
            "distance": distance,
            "next_dates": activity.next_occurrences(5),
            "jsonld": event_jsonld(activity, url=url),
        },
    )
