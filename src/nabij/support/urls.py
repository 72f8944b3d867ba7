"""Support pages under /<gemeente>/ (namespace `support`): the supporter's own pages, the
coordinator's under beheer/, and the warm hand-overs (`urls_referrals`)."""

from django.urls import URLPattern, path

from nabij.support import urls_referrals
from nabij.support.views import coordinator, rounds, supporter, supporters

app_name = "support"

urlpatterns: list[URLPattern] = [
    path("maatje/", supporter.my_participants, name="my_participants"),
    path("koppelingen/<int:pk>/", supporter.relation_detail, name="relation_detail"),
    path("beheer/maatjes/", supporters.supporter_list, name="supporter_list"),
    path("beheer/maatjes/nieuw/", supporters.supporter_create, name="supporter_create"),
    path("beheer/maatjes/<int:pk>/", supporters.supporter_edit, name="supporter_edit"),
    path("beheer/koppelrondes/", rounds.round_list, name="round_list"),
    path("beheer/koppelrondes/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("beheer/koppelrondes/<int:pk>/actie/", rounds.round_action, name="round_action"),
    path("beheer/koppelvoorstellen/<int:pk>/", rounds.proposal_decide, name="proposal_decide"),
    path("beheer/nu-koppelen/", coordinator.match_now, name="match_now"),
    path("beheer/contactsignalen/", coordinator.contact_signals, name="contact_signals"),
    *urls_referrals.urlpatterns,
]
