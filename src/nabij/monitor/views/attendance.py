"""Organiser pages for attendance under /<gemeente>/organiseren/aanwezigheid/ (docs/attendance.md).

Who may: organisers, for their own organisation's activities, and the municipality's coordinators
and admins, for every activity (`permissions.can_record_attendance`). Another organisation's
activity, and any activity of another municipality, answers 404. Coordinators and admins must have
passed the second factor, as on the other organiser pages. Every page works without JavaScript.

The pages show counts only, and of a session only its total: keys typed into the form are never
shown back, and neither is how many of them were named (that would tell who consented).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.accounts.models import Role
from nabij.core.models import Municipality
from nabij.monitor.attendance_csv import (
    COLUMNS,
    REQUIRED_COLUMNS,
    AttendanceImportError,
    attendance_import,
    example_csv,
)
from nabij.monitor.models import AttendanceSession
from nabij.monitor.services import attendance as services
from nabij.socialmap.forms import DATE_ERRORS, DATE_INPUT, NUMBER_ERRORS, add_service_error
from nabij.socialmap.models import AMSTERDAM, Activity

PAGE_ROLES = (Role.ORGANISER, *permissions.SOCIAL_MAP_EDITORS)
ACTIVITIES_PER_PAGE = 25
SESSIONS_PER_PAGE = 20
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def attendance_page(view: Any) -> Any:
    return municipality_page(*PAGE_ROLES, personal_data=True)(view)


# --- forms ---------------------------------------------------------------------------------------


class SessionForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Datum van de bijeenkomst"), widget=DATE_INPUT, error_messages=DATE_ERRORS)
    anonymous_count = forms.IntegerField(
        label=gettext_lazy("Aantal bezoekers zonder sleutel"),
        min_value=0,
        max_value=services.MAX_COUNT,
        initial=0,
        help_text=gettext_lazy("Tel iedereen die er was en van wie je hieronder geen sleutel invult."),
        error_messages={**NUMBER_ERRORS, "required": gettext_lazy("Vul een aantal in; 0 mag ook.")},
    )
    participant_keys = forms.CharField(
        label=gettext_lazy("Sleutels van deelnemers (niet verplicht)"),
        required=False,
        max_length=400_000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea", "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Alleen van deelnemers die toestemming gaven voor de monitor; zij hebben een sleutel gekregen. "
            "Zet spaties, puntkomma's of een nieuwe regel tussen de sleutels. Geen namen."
        ),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Zoek een activiteit op naam"), required=False, max_length=100)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV-bestand met bijeenkomsten"),
        help_text=gettext_lazy(
            "Opgeslagen als CSV UTF-8, met een puntkomma (;) of komma (,) tussen de kolommen. Hoogstens 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Alleen controleren, nog niets opslaan"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not str(upload.name).lower().endswith(".csv"):
            raise forms.ValidationError(
                _("Kies een bestand dat eindigt op .csv. Sla een spreadsheet op als CSV UTF-8.")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan 5 MB. Verdeel de bijeenkomsten over meer bestanden.")
            )
        return upload


# --- one door to each activity -------------------------------------------------------------------


def recordable_activities(user: Any, municipality: Municipality) -> QuerySet[Activity]:
    """The activities `user` may record attendance for: their organisations', or all for coordinators."""
    activities = Activity.objects.filter(municipality=municipality).select_related("organisation")
    editable = permissions.organisations_edited_by(user, municipality)
    if editable is not None:
        activities = activities.filter(organisation_id__in=editable)
    return activities.order_by("title", "pk")


def activity_for(request: HttpRequest, municipality: Municipality, uid: UUID) -> Activity:
    activity = (
        Activity.objects.filter(municipality=municipality, uid=uid)
        .select_related("organisation", "municipality")
        .first()
    )
    if activity is None or not permissions.can_record_attendance(request.user, activity):
        raise Http404
    return activity


def last_meeting(activity: Activity) -> dt.date:
    """The form's default date: the latest time the activity met, up to today."""
    today = services.today()
    latest: dt.date | None = None
    since = dt.datetime.combine(today - dt.timedelta(days=62), dt.time(), tzinfo=AMSTERDAM)
    try:
        for moment in activity.iter_occurrences(after=since):
            if moment.date() > today:
                break
            latest = moment.date()
    except (TypeError, ValueError):  # an invalid rule: the form still works with today
        latest = None
    return latest or today


def _session_stats(activity_ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = (
        AttendanceSession.objects.filter(activity_id__in=activity_ids)
        .values("activity_id")
        .annotate(sessions=Count("pk"), last=Max("on"))
    )
    return {row["activity_id"]: {"sessions": row["sessions"], "last": row["last"]} for row in rows}


# --- pages ---------------------------------------------------------------------------------------


@attendance_page
def attendance_home(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    activities = recordable_activities(request.user, municipality)
    if query:
        activities = activities.filter(title__icontains=query)
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    stats = _session_stats([activity.pk for activity in page.object_list])
    rows = [{"activity": activity, **stats.get(activity.pk, {"sessions": 0, "last": None})} for activity in page]
    return render(
        request,
        "monitor/attendance/home.html",
        {"municipality": municipality, "form": form, "query": query, "page": page, "rows": rows},
    )


def _recorded_message(result: services.AttendanceResult) -> str:
    """Only what is the same whichever way a key was counted: the total and the keys received.
    Named and anonymous heads apart would tell the recorder who consented (docs/attendance.md)."""
    on = date_format(result.session.on, "j F Y")
    parts = [
        ngettext(
            "Opgeslagen: %(total)d bezoeker op %(on)s.", "Opgeslagen: %(total)d bezoekers op %(on)s.", result.total
        )
        % {"total": result.total, "on": on}
    ]
    if result.keys_received:
        parts.append(
            ngettext(
                "Je vulde %(count)d sleutel in; die telt mee in het totaal.",
                "Je vulde %(count)d sleutels in; die tellen mee in het totaal.",
                result.keys_received,
            )
            % {"count": result.keys_received}
        )
    if not result.created:
        parts.append(_("Deze datum stond er al; de nieuwe telling vervangt de oude."))
    return " ".join(parts)


@attendance_page
def activity_attendance(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    activity = activity_for(request, municipality, uid)
    form = SessionForm(request.POST or None, initial={"on": last_meeting(activity), "anonymous_count": 0})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.attendance_record(
                actor=request.user,
                activity=activity,
                on=data["on"],
                anonymous_count=data["anonymous_count"],
                participant_keys=data["participant_keys"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _recorded_message(result))
            return redirect("monitor:activity_attendance", municipality=municipality.slug, uid=activity.uid)
    sessions = AttendanceSession.objects.filter(activity=activity).order_by("-on", "-pk")
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitor/attendance/activity.html",
        {"municipality": municipality, "activity": activity, "form": form, "page": page},
        status=400 if form.errors else 200,
    )


def _session_for(activity: Activity, on: str) -> AttendanceSession:
    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        raise Http404 from None
    session = AttendanceSession.objects.filter(activity=activity, on=day).first()
    if session is None:
        raise Http404
    return session


@attendance_page
def session_delete(request: HttpRequest, municipality: Municipality, uid: UUID, on: str) -> HttpResponse:
    activity = activity_for(request, municipality, uid)
    session = _session_for(activity, on)
    if request.method == "POST":
        services.attendance_delete(actor=request.user, session=session)
        messages.success(
            request,
            _("De bijeenkomst van %(on)s is verwijderd.") % {"on": date_format(session.on, "j F Y")},
        )
        return redirect("monitor:activity_attendance", municipality=municipality.slug, uid=activity.uid)
    return render(
        request,
        "monitor/attendance/confirm_delete.html",
        {"municipality": municipality, "activity": activity, "session": session},
    )


@attendance_page
def attendance_upload(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if permissions.organisations_edited_by(request.user, municipality) == []:
        raise Http404  # an organiser without an organisation has nothing to record
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "municipality": municipality,
        "form": form,
        "columns": COLUMNS,
        "required_columns": REQUIRED_COLUMNS,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = attendance_import(
                actor=request.user,
                municipality=municipality,
                data=form.cleaned_data["file"].read(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except AttendanceImportError as error:
            context["failure"] = error
            status = 400
        except PermissionDenied:
            raise Http404 from None
        else:
            context["result"] = result
            context["summary"] = result.summary().splitlines()
    elif form.errors:
        status = 400
    return render(request, "monitor/attendance/upload.html", context, status=status)


@attendance_page
def attendance_example(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    response = HttpResponse(example_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aanwezigheid-voorbeeld.csv"'
    return response
