"""Public iCalendar feeds: one activity, an organisation's activities, a neighbourhood's activities.

Anyone may subscribe: only published activities are in them. The tenant scope the middleware
sets makes another municipality's organisation, activity or neighbourhood a 404 here.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality, Neighbourhood
from nabij.socialmap import ical
from nabij.socialmap.models import Activity, Organisation


def _published() -> QuerySet[Activity]:
    return Activity.objects.published().select_related("place").order_by("dtstart", "pk")


def activity_page_url(request: HttpRequest, municipality: Municipality, activity: Activity) -> str:
    """The absolute URL of the public activity page."""
    return request.build_absolute_uri(ical.activity_page_path(municipality.slug, activity.uid))


def _calendar_response(
    request: HttpRequest, municipality: Municipality, activities: Iterable[Activity], *, name: str, filename: str
) -> HttpResponse:
    activities = list(activities)
    urls = {activity.pk: activity_page_url(request, municipality, activity) for activity in activities}
    calendar = ical.build_calendar(activities, name=name, url_for=urls)
    response = HttpResponse(calendar.to_ical(), content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@municipality_page()
def activity_ical(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    activity = get_object_or_404(_published(), uid=uid)
    return _calendar_response(
        request, municipality, [activity], name=activity.title, filename=ical.filename(activity.title)
    )


@municipality_page()
def organisation_ical(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.all(), uid=uid)
    return _calendar_response(
        request,
        municipality,
        _published().filter(organisation=organisation),
        name=_("Activiteiten van %(name)s") % {"name": organisation.name},
        filename=ical.filename(organisation.name),
    )


@municipality_page()
def neighbourhood_ical(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood.objects.all(), code=code.upper())
    return _calendar_response(
        request,
        municipality,
        _published().filter(place__neighbourhood=neighbourhood),
        name=_("Activiteiten in %(name)s") % {"name": neighbourhood.name},
        filename=ical.filename(f"{neighbourhood.code}-{neighbourhood.name}"),
    )
