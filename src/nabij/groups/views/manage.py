"""Pages for those who run groups: start a group, change it, end it, and manage its members.

Who may: whoever may start a group (professionals, organisers, coordinators, admins), and per group
its managers (`permissions.can_manage_group`: who started it, its guide, the organisers of its
activities, coordinators and admins). Any other group, and any group of another municipality,
answers 404. Professionals, coordinators and admins must have passed the second factor: these
pages show residents' names.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.accounts.models import Role
from nabij.core.models import Municipality
from nabij.groups import selectors, services
from nabij.groups.forms import ActivitySearchForm, AddMemberForm, GroupForm
from nabij.groups.models import Group, GroupStatus, MemberRole, Membership
from nabij.people.models import ResidentProfile
from nabij.socialmap.forms import add_service_error

MANAGER_ROLES = (Role.ORGANISER, Role.SUPPORTER, *permissions.GROUP_STARTERS)


def manager_page(view: Any) -> Any:
    return municipality_page(*MANAGER_ROLES, personal_data=True)(view)


def managed_group(request: HttpRequest, municipality: Municipality, uid: UUID) -> Group:
    """One door to a group: not found, or not yours to manage, is a 404."""
    group = Group.objects.filter(municipality=municipality, uid=uid).select_related("guide", "neighbourhood").first()
    if group is None or not permissions.can_manage_group(request.user, group):
        raise Http404
    return group


def _search(request: HttpRequest) -> tuple[ActivitySearchForm, str]:
    form = ActivitySearchForm(request.GET or None)
    return form, (form.cleaned_data.get("zoek", "") if form.is_valid() else "")


@manager_page
def group_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    groups = selectors.with_counts(
        selectors.groups_managed_by(request.user, municipality).select_related("neighbourhood")
    ).order_by("status", "name", "pk")
    rows = [
        selectors.GroupRow(
            group=g,
            member_count=g.member_count,  # type: ignore[attr-defined]
            trekker_count=g.trekker_count,  # type: ignore[attr-defined]
            signals=[] if g.status == GroupStatus.ENDED else selectors.signals_for(g.member_count, g.trekker_count),  # type: ignore[attr-defined]
        )
        for g in groups
    ]
    return render(
        request,
        "groups/group_list.html",
        {
            "municipality": municipality,
            "rows": rows,
            "can_start": permissions.can_start_group(request.user, municipality),
            "can_read_signals": permissions.can_read_group_signals(request.user, municipality),
        },
    )


@manager_page
def group_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if not permissions.can_start_group(request.user, municipality):
        raise Http404
    search_form, search = _search(request)
    form = GroupForm(request.POST or None, user=request.user, municipality=municipality, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(actor=request.user, municipality=municipality, **form.values())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De groep is gemaakt. Zet er nu leden in, en kies een trekker."))
            return redirect("groups:group_detail", municipality=municipality.slug, uid=group.uid)
    return render(
        request,
        "groups/group_form.html",
        {"municipality": municipality, "form": form, "search_form": search_form, "group": None},
        status=400 if form.errors else 200,
    )


@manager_page
def group_update(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    group = managed_group(request, municipality, uid)
    if group.status == GroupStatus.ENDED:
        raise Http404
    search_form, search = _search(request)
    form = GroupForm(request.POST or None, user=request.user, municipality=municipality, instance=group, search=search)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            if changes:
                services.group_update(actor=request.user, group=group, **changes)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De groep is opgeslagen.") if changes else _("Er was niets veranderd."))
            return redirect("groups:group_detail", municipality=municipality.slug, uid=group.uid)
    return render(
        request,
        "groups/group_form.html",
        {"municipality": municipality, "form": form, "search_form": search_form, "group": group},
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest, municipality: Municipality, group: Group, add_form: AddMemberForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "groups/group_detail.html",
        {
            "municipality": municipality,
            "group": group,
            "row": selectors.group_row(group),
            "members": selectors.members_for(viewer=request.user, group=group),
            "activities": group.activities.select_related("organisation").order_by("title"),
            "add_form": add_form,
            "ended": group.status == GroupStatus.ENDED,
        },
        status=status,
    )


@manager_page
def group_detail(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    group = managed_group(request, municipality, uid)
    return _detail(request, municipality, group, AddMemberForm())


@manager_page
@require_POST
def member_add(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    group = managed_group(request, municipality, uid)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        profile = ResidentProfile.objects.filter(
            municipality=municipality, key=form.cleaned_data["key"], erased_at__isnull=True
        ).first()
        if profile is None:
            form.add_error("key", _("Er is geen bewoner met deze sleutel in deze gemeente."))
        else:
            try:
                services.group_join(actor=request.user, group=group, profile=profile, role=form.cleaned_data["role"])
            except ValidationError as error:
                form.add_error("key", error.messages)
            else:
                messages.success(request, _("De bewoner is toegevoegd aan de groep."))
                return redirect("groups:group_detail", municipality=municipality.slug, uid=group.uid)
    return _detail(request, municipality, group, form, status=400)


MEMBER_ACTIONS = {"trekker", "member", "remove"}


@manager_page
@require_POST
def member_change(request: HttpRequest, municipality: Municipality, uid: UUID, membership_id: int) -> HttpResponse:
    group = managed_group(request, municipality, uid)
    membership = get_object_or_404(
        Membership.objects.select_related("profile"), group=group, pk=membership_id, left_at__isnull=True
    )
    action = request.POST.get("action", "")
    if action not in MEMBER_ACTIONS:
        messages.error(request, _("Kies wat er met dit lid moet gebeuren."))
    elif action == "remove":
        services.group_leave(actor=request.user, group=group, profile=membership.profile)
        messages.success(request, _("Het lid is uit de groep gehaald."))
    else:
        role = MemberRole.TREKKER if action == "trekker" else MemberRole.MEMBER
        services.membership_set_role(actor=request.user, membership=membership, role=role)
        messages.success(
            request, _("Het lid is nu trekker.") if role == MemberRole.TREKKER else _("Het lid is nu gewoon lid.")
        )
    return redirect("groups:group_detail", municipality=municipality.slug, uid=group.uid)


@manager_page
def group_end(request: HttpRequest, municipality: Municipality, uid: UUID) -> HttpResponse:
    group = managed_group(request, municipality, uid)
    if group.status == GroupStatus.ENDED:
        raise Http404
    if request.method == "POST":
        services.group_end(actor=request.user, group=group)
        messages.success(request, _("De groep is gestopt. De geschiedenis blijft bewaard."))
        return redirect("groups:group_list", municipality=municipality.slug)
    return render(request, "groups/confirm_end.html", {"municipality": municipality, "group": group})
