"""The coordinator's matching rounds: start one, follow its progress, decide on its proposals.

A round computes as a background task; its page shows the task's progress (reloading itself
without JavaScript, polled by htmx with it) and, once done, the proposals with their reasons.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.support import selectors, services
from nabij.support.forms import RoundStartForm
from nabij.support.models import MatchingRound, ProposalDecision, RoundStatus

COORDINATORS = permissions.SUPPORT_COORDINATORS


def _error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@municipality_page(*COORDINATORS, personal_data=True)
def round_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if not permissions.can_manage_support(request.user, municipality):
        raise Http404
    services.matching_rounds_settle(municipality=municipality)
    form = RoundStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matching_round = services.matching_round_start(
                actor=request.user, municipality=municipality, rules=services.clean_rules(form.rules())
            )
        except ValidationError as error:
            _error(request, error)
        else:
            return redirect("support:round_detail", municipality=municipality.slug, pk=matching_round.pk)
    rounds = MatchingRound.objects.filter(municipality=municipality).select_related("started_by")[:20]
    waiting = selectors.waiting_participants(municipality).count()
    return render(
        request,
        "support/rounds.html",
        {"municipality": municipality, "form": form, "rounds": rounds, "waiting": waiting},
        status=400 if form.errors else 200,
    )


@municipality_page(*COORDINATORS, personal_data=True)
def round_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    services.matching_rounds_settle(municipality=municipality)
    matching_round = selectors.round_for(request.user, municipality, pk)
    decision = request.GET.get("besluit") or ProposalDecision.PENDING
    if decision not in ProposalDecision.values:
        decision = ProposalDecision.PENDING
    if request.headers.get("HX-Request") and matching_round.status != RoundStatus.RUNNING:
        # The round finished while the page polled its progress: load the whole page.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    counts = selectors.proposal_counts(matching_round)
    page = None
    if matching_round.status != RoundStatus.RUNNING:
        page = selectors.round_proposals(
            request.user, matching_round, page=request.GET.get("pagina"), decision=decision
        )
    context = {
        "municipality": municipality,
        "round": matching_round,
        "run": matching_round.task_run,
        "page": page,
        "decision": decision,
        "decisions": [(code, label, counts[code]) for code, label in ProposalDecision.choices],
        "stats": matching_round.stats,
    }
    if request.headers.get("HX-Request"):
        return render(request, "support/_round_progress.html", context)
    return render(request, "support/round_detail.html", context)


@municipality_page(*COORDINATORS, personal_data=True)
def round_action(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    matching_round = selectors.round_for(request.user, municipality, pk)
    if request.method != "POST":
        return redirect("support:round_detail", municipality=municipality.slug, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "recompute":
            services.matching_round_recompute(actor=request.user, matching_round=matching_round)
            messages.success(request, _("De ronde is opnieuw berekend met de gegevens van nu."))
        elif action == "close":
            services.matching_round_close(actor=request.user, matching_round=matching_round)
            messages.success(request, _("De ronde is gesloten. Voorstellen zonder besluit zijn vervallen."))
        else:
            raise Http404
    except ValidationError as error:
        _error(request, error)
    return redirect("support:round_detail", municipality=municipality.slug, pk=pk)


@municipality_page(*COORDINATORS, personal_data=True)
def proposal_decide(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    proposal = selectors.proposal_for(request.user, municipality, pk)
    back = (
        redirect("support:round_detail", municipality=municipality.slug, pk=proposal.round_id)
        if proposal.round_id
        else redirect("support:round_list", municipality=municipality.slug)
    )
    if request.method != "POST":
        return back
    action = request.POST.get("action")
    name = proposal.participant.name or str(proposal.participant)
    try:
        if action == "confirm":
            relation = services.proposal_confirm(actor=request.user, proposal=proposal)
            messages.success(
                request,
                _("%(name)s en %(supporter)s zijn gekoppeld. Het maatje kan nu kennismaken.")
                % {"name": name, "supporter": relation.supporter.name},
            )
        elif action == "reject":
            services.proposal_reject(actor=request.user, proposal=proposal)
            messages.success(
                request,
                _("Het voorstel voor %(name)s is afgewezen. Dit paar wordt niet opnieuw voorgesteld.") % {"name": name},
            )
        else:
            raise Http404
    except ValidationError as error:
        _error(request, error)
    return back
