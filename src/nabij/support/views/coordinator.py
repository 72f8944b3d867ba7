"""The coordinator's other support pages: "find a supporter now" for one urgent participant,
and the signals of relations without contact for some weeks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.people.models import ResidentProfile
from nabij.support import selectors, services
from nabij.support.forms import MatchNowForm, SignalForm
from nabij.support.models import Supporter

COORDINATORS = permissions.SUPPORT_COORDINATORS
CANDIDATES = 5


@municipality_page(*COORDINATORS, personal_data=True)
def match_now(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if not permissions.can_manage_support(request.user, municipality):
        raise Http404
    if request.method == "POST":
        chosen = selectors.participant_for_matching(
            request.user, municipality, request.POST.get("participant"), request=request
        )
        supporter_id = request.POST.get("supporter", "")
        supporter = (
            Supporter.objects.filter(municipality=municipality, pk=int(supporter_id)).first()
            if supporter_id.isdigit()
            else None
        )
        if supporter is None:
            raise Http404
        try:
            relation = services.relation_propose_now(actor=request.user, profile=chosen, supporter=supporter)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{request.path}?participant={chosen.key}")
        messages.success(
            request,
            _("%(name)s en %(supporter)s zijn gekoppeld. Het maatje kan nu kennismaken.")
            % {"name": chosen.name or str(chosen), "supporter": supporter.name},
        )
        return redirect("support:relation_detail", municipality=municipality.slug, pk=relation.pk)
    waiting = selectors.waiting_list(request.user, municipality)
    form = MatchNowForm(request.GET if "participant" in request.GET else None, waiting=waiting)
    profile: ResidentProfile | None = None
    candidates: list[selectors.Candidate] | None = None
    if form.is_bound and form.is_valid():
        profile = selectors.participant_for_matching(
            request.user, municipality, form.cleaned_data["participant"], request=request
        )
        candidates = selectors.candidates_for(profile, limit=CANDIDATES)
    return render(
        request,
        "support/match_now.html",
        {
            "municipality": municipality,
            "form": form,
            "profile": profile,
            "candidates": candidates,
            "waiting": waiting,
        },
        status=400 if form.errors else 200,
    )


@municipality_page(*COORDINATORS, personal_data=True)
def contact_signals(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    default = selectors.contact_signal_weeks()
    form = SignalForm(request.GET if "weeks" in request.GET else None, initial={"weeks": default})
    weeks = form.cleaned_data["weeks"] if form.is_bound and form.is_valid() else default
    signals = selectors.relations_without_contact(request.user, municipality, weeks=weeks)
    return render(
        request,
        "support/contact_signals.html",
        {"municipality": municipality, "form": form, "signals": signals, "weeks": weeks, "default": default},
        status=400 if form.errors else 200,
    )
