"""Warm hand-over pages: the professional's "Mijn overdrachten" (list, new, status) and the
receiver's "Overdrachten aan mij".

Who may: the list and the new-referral page are for professionals after the second factor. A
referral's page is for its referrer, and for its receiver while the resident's referral consent
is current and the referral is not paused (selectors_referrals.referral_for); anything else,
including another municipality's referral, is a 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.groups import services as group_services
from nabij.groups.models import Group, GroupStatus
from nabij.people.models import ResidentProfile
from nabij.socialmap.forms import add_service_error
from nabij.socialmap.models import Activity, ActivityStatus
from nabij.support import selectors_referrals as selectors
from nabij.support.models import Referral, ReferralStatus, Supporter
from nabij.support.services import referrals as services

REFERRER_PAGE = municipality_page(*permissions.REFERRERS, personal_data=True)
RECEIVER_PAGE = municipality_page(*permissions.REFERRAL_RECEIVER_ROLES, personal_data=True)
DETAIL_PAGE = municipality_page(*{*permissions.REFERRERS, *permissions.REFERRAL_RECEIVER_ROLES}, personal_data=True)
# How many targets the new-referral page offers at once; more are found with the search box.
SHOWN_TARGETS = 25
KINDS = [
    ("activity", gettext_lazy("een activiteit")),
    ("group", gettext_lazy("een groep")),
    ("supporter", gettext_lazy("een maatje")),
]


# --- forms ---------------------------------------------------------------------------------------


class FindForm(forms.Form):
    """Step 1 (GET): who, to what kind of offer, and a search word."""

    profiel = forms.UUIDField(
        label=gettext_lazy("Sleutel van de bewoner"),
        help_text=gettext_lazy("Die staat bij de bewoner in je caseload."),
        error_messages={
            "required": gettext_lazy("Vul de sleutel van de bewoner in."),
            "invalid": gettext_lazy(
                "Dit is geen sleutel. Een sleutel ziet eruit als 3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f."
            ),
        },
    )
    soort = forms.ChoiceField(
        label=gettext_lazy("Waarnaartoe?"),
        choices=KINDS,
        initial="activity",
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
        error_messages={"required": gettext_lazy("Kies een activiteit, een groep of een maatje.")},
    )
    zoek = forms.CharField(label=gettext_lazy("Zoek op naam"), required=False, max_length=100)

    inline_choices = ("soort",)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.profile: ResidentProfile | None = None

    def clean_profiel(self) -> uuid.UUID:
        key: uuid.UUID = self.cleaned_data["profiel"]
        profile = ResidentProfile.objects.filter(
            municipality=self.municipality, key=key, erased_at__isnull=True
        ).first()
        if profile is None:
            raise ValidationError(_("Er is geen bewoner met deze sleutel in deze gemeente."))
        if not profile.has_consent(services.REFERRAL_CONSENT):
            raise ValidationError(services.consent_error().message_dict["profile"])
        self.profile = profile
        return key


class CreateForm(forms.Form):
    """Step 2 (POST): the offer and the note for the receiver."""

    # A select of this page's search results; the service checks the chosen offer itself.
    target = forms.CharField(
        label=gettext_lazy("Kies"),
        widget=forms.Select,
        error_messages={"required": gettext_lazy("Kies waar de bewoner naartoe gaat.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Wat moet de ontvanger weten?"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Alleen wat nodig is voor een goede eerste keer. De ontvanger ziet dit zolang de bewoner toestemming geeft."
        ),
        error_messages={"max_length": gettext_lazy("Maak het korter: hoogstens %(limit_value)d tekens.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].widget.choices = [("", _("Kies…")), *choices]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Nieuwe status"),
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
        error_messages={"required": gettext_lazy("Kies de nieuwe status.")},
    )
    outcome = forms.CharField(
        label=gettext_lazy("Uitkomst"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Verplicht bij stoppen: hoe is het afgelopen?"),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices  # type: ignore[attr-defined]


# --- targets -------------------------------------------------------------------------------------


def _targets(municipality: Municipality, kind: str, search: str, profile: ResidentProfile) -> list[tuple[str, str]]:
    search = search.strip()
    if kind == "activity":
        activities = Activity.objects.filter(municipality=municipality, status=ActivityStatus.PUBLISHED)
        if search:
            activities = activities.filter(title__icontains=search)
        return [
            (str(a.uid), f"{a.title} ({a.organisation.name})")
            for a in activities.select_related("organisation").order_by("title", "pk")[:SHOWN_TARGETS]
        ]
    if kind == "group":
        groups = Group.objects.filter(municipality=municipality).exclude(status=GroupStatus.ENDED)
        if search:
            groups = groups.filter(name__icontains=search)
        return [(str(g.uid), g.name) for g in groups.order_by("name", "pk")[:SHOWN_TARGETS]]
    supporters = Supporter.objects.filter(municipality=municipality, active=True)
    if profile.requires_vog:
        supporters = supporters.with_valid_vog(timezone.localdate())
    if search:
        supporters = supporters.filter(name__icontains=search)
    return [
        (str(s.pk), f"{s.name} ({s.get_role_display()})") for s in supporters.order_by("name", "pk")[:SHOWN_TARGETS]
    ]


def _target(municipality: Municipality, kind: str, value: str) -> dict[str, Any]:
    """The chosen offer as the service's keyword, or a ValidationError on `target`."""
    found: Any = None
    try:
        if kind == "activity":
            found = Activity.objects.filter(municipality=municipality, uid=uuid.UUID(value)).first()
        elif kind == "group":
            found = Group.objects.filter(municipality=municipality, uid=uuid.UUID(value)).first()
        else:
            found = Supporter.objects.filter(municipality=municipality, pk=int(value)).first()
    except ValueError:
        found = None
    if found is None:
        raise ValidationError({"target": _("Dit kun je niet kiezen. Zoek opnieuw.")})
    return {kind: found}


# --- pages ---------------------------------------------------------------------------------------


@REFERRER_PAGE
def referral_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    made = selectors.made_by(request.user, municipality).order_by("-updated_at", "-pk")[:200]
    views = selectors.views_of(request.user, made, purpose_detail="referral_list")
    return render(
        request,
        "support/referrals/list.html",
        {
            "municipality": municipality,
            "open": [v for v in views if v.referral.is_open],
            "closed": [v for v in views if not v.referral.is_open],
        },
    )


@REFERRER_PAGE
def referral_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    find = FindForm(request.GET or None, municipality=municipality)
    context: dict[str, Any] = {"municipality": municipality, "find": find, "form": None}
    if find.is_bound and find.is_valid() and find.profile is not None:
        profile = find.profile
        kind = find.cleaned_data["soort"]
        search = find.cleaned_data.get("zoek", "")
        form = CreateForm(request.POST or None, choices=_targets(municipality, kind, search, profile))
        if request.method == "POST" and form.is_valid():
            try:
                target = _target(municipality, kind, form.cleaned_data["target"])
                referral = services.referral_create(
                    actor=request.user, profile=profile, note=form.cleaned_data["note"], **target
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("De overdracht is voorgesteld. De ontvanger ziet hem nu."))
                return redirect("support:referral_detail", municipality=municipality.slug, pk=referral.pk)
        # The professional sees the name to check they picked the right person: an audited read.
        audit(
            actor=request.user,
            municipality=municipality,
            action=AuditAction.READ,
            purpose=AuditPurpose.REFERRAL,
            record_type="people.residentprofile",
            record_ref=str(profile.key),
            detail={"page": "referral_create"},
        )
        context.update(form=form, profile=profile, kind=kind, kind_label=dict(KINDS)[kind], search=search)
    status = 400 if (find.is_bound and find.errors) or (context["form"] is not None and context["form"].errors) else 200
    return render(request, "support/referrals/create.html", context, status=status)


@RECEIVER_PAGE
def referral_received(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    received = selectors.received_by(request.user, municipality).order_by("-updated_at", "-pk")[:200]
    views = selectors.views_of(request.user, received, purpose_detail="referral_received")
    return render(
        request,
        "support/referrals/received.html",
        {
            "municipality": municipality,
            "open": [v for v in views if v.referral.is_open],
            "closed": [v for v in views if not v.referral.is_open],
        },
    )


def _detail(
    request: HttpRequest, municipality: Municipality, referral: Referral, form: StatusForm | None, status: int = 200
) -> HttpResponse:
    view = selectors.view_of(request.user, referral, purpose_detail="referral_detail")
    form = form or StatusForm(choices=view.next_statuses)
    can_add_to_group = (
        view.is_receiver
        and referral.group is not None
        and referral.status == ReferralStatus.INTRODUCED
        and referral.group.status != GroupStatus.ENDED
        and permissions.can_manage_group(request.user, referral.group)
    )
    return render(
        request,
        "support/referrals/detail.html",
        {"municipality": municipality, "view": view, "form": form, "can_add_to_group": can_add_to_group},
        status=status,
    )


@DETAIL_PAGE
def referral_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    referral = selectors.referral_for(request.user, municipality, pk)
    if request.method != "POST":
        return _detail(request, municipality, referral, None)
    view = selectors.ReferralView(
        referral=referral,
        name=None,
        note=None,
        is_referrer=permissions.made_referral(request.user, referral),
        is_receiver=permissions.receives_referral(request.user, referral),
        shareable=selectors.is_shareable(referral),
    )
    form = StatusForm(request.POST, choices=view.next_statuses)
    if form.is_valid():
        try:
            services.referral_set_status(
                actor=request.user,
                referral=referral,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De status is bijgewerkt."))
            if not permissions.made_referral(request.user, referral) and not selectors.is_shareable(referral):
                return redirect("support:referral_received", municipality=municipality.slug)
            return redirect("support:referral_detail", municipality=municipality.slug, pk=referral.pk)
    return _detail(request, municipality, referral, form, status=400)


@DETAIL_PAGE
@require_POST
def referral_resume(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    referral = selectors.referral_for(request.user, municipality, pk)
    if not permissions.made_referral(request.user, referral):
        raise Http404
    try:
        services.referral_resume(actor=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De overdracht loopt weer. De ontvanger ziet hem weer."))
    return redirect("support:referral_detail", municipality=municipality.slug, pk=referral.pk)


@DETAIL_PAGE
@require_POST
def referral_add_to_group(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """A group's manager takes the introduced resident into the group: member, and participating."""
    referral = selectors.referral_for(request.user, municipality, pk)
    group = referral.group
    if group is None or not permissions.can_manage_group(request.user, group):
        raise Http404
    try:
        with transaction.atomic():
            group_services.group_join(actor=request.user, group=group, profile=referral.profile)
            services.referral_participate(actor=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De bewoner is lid van de groep, en de overdracht staat op 'doet mee'."))
    return redirect("support:referral_detail", municipality=municipality.slug, pk=referral.pk)
