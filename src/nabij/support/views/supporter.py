"""The supporter's pages: "Mijn deelnemers" and one relation (log a contact, move it on, end it).

A relation's page is also the coordinator's: both reach it through `selectors.relation_for`,
which answers 404 to anyone else and audits the read of the participant.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.accounts.models import Role
from nabij.core.models import Municipality
from nabij.socialmap.forms import add_service_error
from nabij.support import selectors, services
from nabij.support.forms import ContactForm, RelationEndForm
from nabij.support.models import OPEN_STATUSES, RelationStatus, SupportRelation

RELATION_ROLES = (Role.SUPPORTER, *permissions.SUPPORT_COORDINATORS)


@municipality_page(Role.SUPPORTER, personal_data=True)
def my_participants(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    participants = selectors.my_participants(request.user, municipality)
    return render(
        request,
        "support/my_participants.html",
        {"municipality": municipality, "participants": participants, "weeks": selectors.contact_signal_weeks()},
    )


def _back(relation: SupportRelation) -> Any:
    return redirect("support:relation_detail", municipality=relation.municipality.slug, pk=relation.pk)


@municipality_page(*RELATION_ROLES, personal_data=True)
def relation_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    relation = selectors.relation_for(request.user, municipality, pk)
    may_log = permissions.can_log_contact(request.user, relation) and relation.status in OPEN_STATUSES
    may_change = permissions.can_change_support_relation(request.user, relation) and relation.status in OPEN_STATUSES
    action = request.POST.get("action") if request.method == "POST" else None
    contact_form = ContactForm(request.POST if action == "contact" else None, prefix="contact")
    end_form = RelationEndForm(request.POST if action == "end" else None, prefix="end")
    if action is not None:
        if (action == "contact" and not may_log) or (action in ("advance", "end") and not may_change):
            raise Http404
        try:
            if action == "contact" and contact_form.is_valid():
                services.contact_log(actor=request.user, relation=relation, **contact_form.cleaned_data)
                messages.success(request, _("Het contact is vastgelegd. Dank je wel!"))
                return _back(relation)
            if action == "advance":
                relation = services.relation_advance(actor=request.user, relation=relation)
                messages.success(
                    request, _("De koppeling staat nu op: %(status)s.") % {"status": relation.get_status_display()}
                )
                return _back(relation)
            if action == "end" and end_form.is_valid():
                services.relation_end(actor=request.user, relation=relation, reason=end_form.cleaned_data["reason"])
                messages.success(request, _("De koppeling is beëindigd."))
                return _back(relation)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            add_service_error(contact_form if action == "contact" else end_form, error)
    contacts = list(relation.contacts.order_by("-on", "-pk")[:50])
    return render(
        request,
        "support/relation_detail.html",
        {
            "municipality": municipality,
            "relation": relation,
            "contacts": contacts,
            "contact_form": contact_form,
            "end_form": end_form,
            "may_log": may_log,
            "may_change": may_change,
            "next_status": {
                RelationStatus.PROPOSED: _("We hebben kennisgemaakt"),
                RelationStatus.INTRODUCED: _("We gaan door: de koppeling is actief"),
            }.get(RelationStatus(relation.status)),
            "is_coordinator": permissions.can_manage_support(request.user, municipality),
        },
        status=400 if contact_form.errors or end_form.errors else 200,
    )
