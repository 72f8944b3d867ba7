"""Monitor pages: recording attendance, under /<gemeente>/organiseren/aanwezigheid/ (namespace `monitor`)."""

from django.urls import URLPattern, path

from nabij.monitor.views import attendance

urlpatterns: list[URLPattern] = [
    path("organiseren/aanwezigheid/", attendance.attendance_home, name="attendance"),
    path("organiseren/aanwezigheid/csv-inlezen/", attendance.attendance_upload, name="attendance_upload"),
    path("organiseren/aanwezigheid/voorbeeld.csv", attendance.attendance_example, name="attendance_example"),
    path("organiseren/aanwezigheid/<uuid:uid>/", attendance.activity_attendance, name="activity_attendance"),
    path(
        "organiseren/aanwezigheid/<uuid:uid>/<str:on>/verwijderen/",
        attendance.session_delete,
        name="attendance_session_delete",
    ),
]
