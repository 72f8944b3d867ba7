"""The coordinator's list of supporters and the form to add or change one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.socialmap.forms import add_service_error
from nabij.support import selectors, services
from nabij.support.forms import SupporterForm
from nabij.support.models import Supporter

COORDINATORS = permissions.SUPPORT_COORDINATORS


@municipality_page(*COORDINATORS, personal_data=True)
def supporter_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    show = request.GET.get("toon", "actief")
    active = {"actief": True, "gestopt": False}.get(show)
    supporters = list(selectors.supporters_list(request.user, municipality, active=active))
    today = selectors.today()
    rows = [
        {
            "supporter": supporter,
            "free": max(0, supporter.capacity - supporter.open_relations),  # type: ignore[attr-defined]
            "vog_valid": supporter.vog_valid_on(today),
            "vog_renewal": services.vog_renewal_due(supporter, today),
        }
        for supporter in supporters
    ]
    return render(
        request,
        "support/supporters.html",
        {"municipality": municipality, "rows": rows, "show": show},
    )


def _form_page(request: HttpRequest, municipality: Municipality, supporter: Supporter | None) -> HttpResponse:
    form = SupporterForm(request.POST or None, municipality=municipality, instance=supporter)
    if request.method == "POST" and request.POST.get("action") in ("deactivate", "activate") and supporter:
        services.supporter_set_active(
            actor=request.user, supporter=supporter, active=request.POST["action"] == "activate"
        )
        messages.success(request, _("Opgeslagen."))
        return redirect("support:supporter_edit", municipality=municipality.slug, pk=supporter.pk)
    if request.method == "POST" and form.is_valid():
        try:
            if supporter is None:
                supporter = services.supporter_create(actor=request.user, municipality=municipality, **form.values())
                messages.success(request, _("%(name)s staat in de lijst met maatjes.") % {"name": supporter.name})
            else:
                services.supporter_update(actor=request.user, supporter=supporter, **form.values())
                messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": supporter.name})
        except ValidationError as error:
            add_service_error(form, error, {"user": "email", "lifts_mask": "lifts"})
        else:
            return redirect("support:supporter_list", municipality=municipality.slug)
    return render(
        request,
        "support/supporter_form.html",
        {"municipality": municipality, "form": form, "supporter": supporter},
        status=400 if form.errors else 200,
    )


@municipality_page(*COORDINATORS, personal_data=True)
def supporter_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if not permissions.can_manage_support(request.user, municipality):
        raise Http404
    return _form_page(request, municipality, None)


@municipality_page(*COORDINATORS, personal_data=True)
def supporter_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _form_page(request, municipality, selectors.supporter_for(request.user, municipality, pk))
