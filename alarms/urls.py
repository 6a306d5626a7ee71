from django.urls import path

from alarms import views

app_name = "alarms"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sos/", views.sos, name="sos"),
    path("<int:alarm_id>/", views.detail, name="detail"),
    path("<int:alarm_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:alarm_id>/arrived/", views.arrived, name="arrived"),
    path("<int:alarm_id>/close/", views.close, name="close"),
    path("<int:alarm_id>/false/", views.false_alarm, name="false_alarm"),
    path("<int:alarm_id>/place/", views.place, name="place"),
    path("roster/<slug:code>/", views.roster, name="roster"),
]
