"""Forms of the group pages. They parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nabij.accounts import permissions
from nabij.accounts.models import Role, User
from nabij.core.models import Municipality, Neighbourhood
from nabij.groups.models import Group, GroupStatus, MemberRole
from nabij.groups.services import MAX_CAPACITY
from nabij.socialmap.models import Activity, ActivityStatus

# How many activities the form shows as checkboxes at once; more are found with the search box.
SHOWN_ACTIVITIES = 40


def checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.organisation.name})"


class GuideChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.email)


def selectable_activities(user: Any, municipality: Municipality) -> QuerySet[Activity]:
    """Activities `user` may put a group around: all that run for professionals and coordinators,
    their own organisation's for organisers."""
    activities = (
        Activity.objects.filter(municipality=municipality)
        .exclude(status=ActivityStatus.ARCHIVED)
        .select_related("organisation")
        .order_by("title", "pk")
    )
    if permissions.has_role(user, municipality, Role.PROFESSIONAL, *permissions.GROUP_STEERING):
        return activities
    editable = permissions.organisations_edited_by(user, municipality) or []
    return activities.filter(organisation_id__in=editable)


def possible_guides(municipality: Municipality) -> QuerySet[User]:
    """Professionals of the municipality and its peer experts (supporters with that role)."""
    professional = Q(roles__municipality=municipality, roles__role=Role.PROFESSIONAL)
    peer_expert = Q(
        roles__municipality=municipality,
        roles__role=Role.SUPPORTER,
        supporter__municipality=municipality,
        supporter__role=permissions.PEER_EXPERT,
        supporter__active=True,
    )
    return User.objects.filter(professional | peer_expert, is_active=True).distinct().order_by("display_name")


class ActivitySearchForm(forms.Form):
    zoek = forms.CharField(
        label=_("Zoek activiteiten op naam"),
        required=False,
        max_length=100,
        help_text=_("Zo vind je de activiteiten waar de groep omheen draait."),
    )


class GroupForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van de groep"),
        max_length=120,
        error_messages={"required": _("Vul een naam in."), "max_length": _("Maak de naam korter.")},
    )
    description = forms.CharField(
        label=_("Wat doet de groep?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In een paar korte zinnen. Leden en nieuwe leden lezen dit."),
    )
    activities = ActivityChoiceField(
        label=_("Activiteiten"),
        queryset=Activity.objects.none(),
        to_field_name="uid",
        widget=checkboxes(),
        help_text=_("De groep draait om een of meer activiteiten."),
        error_messages={
            "required": _("Kies minstens één activiteit."),
            "invalid_choice": _("Deze activiteit kun je niet kiezen."),
        },
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Buurt"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("Geen buurt"),
        to_field_name="code",
    )
    guide = GuideChoiceField(
        label=_("Begeleider"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Geen begeleider"),
        help_text=_("Een professional of een ervaringsdeskundige die de groep steunt. Dat hoeft niet."),
    )
    capacity = forms.IntegerField(
        label=_("Hoeveel leden kunnen er hoogstens in?"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=10,
        help_text=_("Een kleine groep heeft 5 tot 10 leden."),
        error_messages={
            "required": _("Vul een aantal in."),
            "invalid": _("Vul een heel getal in, zoals 8."),
            "min_value": _("Vul een getal in van %(limit_value)s of meer."),
            "max_value": _("Vul een getal in van %(limit_value)s of minder."),
        },
    )
    status = forms.ChoiceField(
        label=_("Hoe staat de groep ervoor?"),
        choices=[(GroupStatus.FORMING, GroupStatus.FORMING.label), (GroupStatus.ACTIVE, GroupStatus.ACTIVE.label)],
        initial=GroupStatus.FORMING,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        municipality: Municipality,
        instance: Group | None = None,
        search: str = "",
        **kwargs: Any,
    ) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "description": instance.description,
                "activities": [a.uid for a in instance.activities.all()],
                "neighbourhood": instance.neighbourhood.code if instance.neighbourhood else None,
                "guide": instance.guide_id,
                "capacity": instance.capacity,
                "status": instance.status,
            }
        super().__init__(*args, **kwargs)
        allowed = selectable_activities(user, municipality)
        if instance is not None:
            # A group may keep an activity of another organisation that someone else chose.
            allowed = (allowed | Activity.objects.filter(pk__in=instance.activities.values("pk"))).distinct()
        field: Any = self.fields["activities"]
        field.queryset = allowed
        field.widget.choices = self._shown_choices(allowed, search)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).order_by("name")
        if permissions.can_read_directory(user, municipality):
            guides = possible_guides(municipality)
            if instance is not None and instance.guide_id:
                guides = (guides | User.objects.filter(pk=instance.guide_id)).distinct()
            self.fields["guide"].queryset = guides  # type: ignore[attr-defined]
        else:
            # Organisers do not see the municipality's list of professionals; a coordinator picks a guide.
            del self.fields["guide"]

    def _shown_choices(self, allowed: QuerySet[Activity], search: str) -> list[tuple[str, str]]:
        """The checkboxes to show: the chosen ones, and the search results (or all, if few)."""
        submitted: Any = []
        if self.is_bound:
            key = self.add_prefix("activities")
            submitted = self.data.getlist(key) if hasattr(self.data, "getlist") else self.data.get(key, [])
        chosen = {str(v) for v in submitted}
        chosen |= {str(v) for v in self.initial.get("activities", [])}
        shown = list(allowed.filter(uid__in=chosen))
        if search.strip():
            shown += list(allowed.filter(title__icontains=search.strip()).exclude(uid__in=chosen)[:SHOWN_ACTIVITIES])
        elif allowed.count() <= SHOWN_ACTIVITIES:
            shown += list(allowed.exclude(uid__in=chosen))
        return [(str(a.uid), f"{a.title} ({a.organisation.name})") for a in shown]

    @property
    def has_more_activities(self) -> bool:
        field: Any = self.fields["activities"]
        return bool(field.queryset.count() > len(field.widget.choices))

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["activities"] = list(data["activities"])
        if "guide" not in self.fields:
            data.pop("guide", None)
        return data

    def changes(self) -> dict[str, Any]:
        data = self.values()
        if self.instance is None:
            return data
        result = {}
        for name, value in data.items():
            if name == "activities":
                if {a.pk for a in value} != {a.pk for a in self.instance.activities.all()}:
                    result[name] = value
            elif getattr(self.instance, name) != value:
                result[name] = value
        return result


class AddMemberForm(forms.Form):
    key = forms.UUIDField(
        label=_("Sleutel van de bewoner"),
        help_text=_("De sleutel (pseudoniem) staat bij het profiel van de bewoner. Zo komt de naam niet in een lijst."),
        error_messages={
            "required": _("Vul de sleutel in."),
            "invalid": _("Dit is geen sleutel. Een sleutel ziet eruit als 3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f."),
        },
    )
    role = forms.ChoiceField(
        label=_("Rol in de groep"),
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
    )


class SignalFilterForm(forms.Form):
    signal = forms.BooleanField(label=_("Alleen groepen met een signaal"), required=False)
