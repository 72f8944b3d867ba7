"""Mijn groep: the resident's groups, their fellow members (first names only), joining and leaving.

Only residents open these pages; a resident sees their own groups and the running groups with a
free place. Joining needs a current contact consent (the service says so plainly if it is missing).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nabij.accounts.decorators import municipality_page
from nabij.accounts.models import Role
from nabij.core.models import Municipality
from nabij.groups import selectors, services
from nabij.groups.models import Group, GroupStatus
from nabij.people.models import ResidentProfile

RESIDENT_PAGE = municipality_page(Role.RESIDENT)


def _group(municipality: Municipality, uid: UUID) -> Group:
    group = Group.objects.filter(municipality=municipality, uid=uid).exclude(status=GroupStatus.ENDED).first()
    if group is None:
        raise Http404
    return group


def _profile(request: HttpRequest, municipality: Municipality) -> ResidentProfile | None:
    return selectors.profile_of(request.user, municipality)


@RESIDENT_PAGE
def my_groups(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    profile = _profile(request, municipality)
    memberships = selectors.memberships_of(profile)
    mine = [
        {"membership": m, "members": selectors.members_for(viewer=request.user, group=m.group)} for m in memberships
    ]
    can_join = profile is not None and profile.has_consent(services.JOIN_CONSENT)
    return render(
        request,
        "groups/my_groups.html",
        {
            "municipality": municipality,
            "profile": profile,
            "mine": mine,
            "open_groups": selectors.open_groups(municipality=municipality, profile=profile),
            "can_join": can_join,
        },
    )


@RESIDENT_PAGE
def join(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    group = _group(municipality, uid)
    profile = _profile(request, municipality)
    error = ""
    if request.method == "POST":
        if profile is None:
            error = _("Je hebt nog geen profiel. Vraag je contactpersoon of een professional om je te helpen.")
        else:
            try:
                services.group_join(actor=request.user, group=group, profile=profile)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Je doet nu mee met %(name)s.") % {"name": group.name})
                return redirect("groups:my_groups", municipality=municipality.slug)
    return render(
        request,
        "groups/confirm.html",
        {
            "municipality": municipality,
            "group": group,
            "row": selectors.group_row(group),
            "action": "join",
            "error": error,
        },
        status=400 if error else 200,
    )


@RESIDENT_PAGE
def leave(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    group = _group(municipality, uid)
    profile = _profile(request, municipality)
    if profile is None or not group.memberships.filter(profile=profile, left_at__isnull=True).exists():
        raise Http404
    if request.method == "POST":
        services.group_leave(actor=request.user, group=group, profile=profile)
        messages.success(request, _("Je bent uit %(name)s gestapt.") % {"name": group.name})
        return redirect("groups:my_groups", municipality=municipality.slug)
    return render(
        request,
        "groups/confirm.html",
        {"municipality": municipality, "group": group, "row": selectors.group_row(group), "action": "leave"},
    )
