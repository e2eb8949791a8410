from django.urls import path

from cairn.panels import views

app_name = "panels"
urlpatterns = [
    path("", views.panel_list_view, name="list"),
    path("new/", views.panel_create_view, name="create"),
    path("<int:panel_id>/", views.panel_detail_view, name="detail"),
    path("<int:panel_id>/edit/", views.panel_edit_view, name="edit"),
    path("<int:panel_id>/members/add/", views.member_add_view, name="member_add"),
    path("<int:panel_id>/members/<int:member_id>/end/", views.member_end_view, name="member_end"),
    path("<int:panel_id>/meetings/new/", views.meeting_new_view, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views.meeting_view, name="meeting"),
    path("meetings/<int:meeting_id>/agenda/add/", views.agenda_add_view, name="agenda_add"),
    path(
        "meetings/<int:meeting_id>/agenda/add-child/",
        views.agenda_child_add_view,
        name="agenda_child_add",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/<int:item_id>/remove/",
        views.agenda_remove_view,
        name="agenda_remove",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/publish/",
        views.agenda_publish_view,
        name="agenda_publish",
    ),
    path("meetings/<int:meeting_id>/attendance/", views.attendance_view, name="attendance"),
    path("meetings/<int:meeting_id>/held/", views.meeting_held_view, name="meeting_held"),
    path(
        "meetings/<int:meeting_id>/children/<int:child_id>/",
        views.discussion_view,
        name="discussion",
    ),
    path("meetings/<int:meeting_id>/minutes/edit/", views.minutes_edit_view, name="minutes_edit"),
    path("meetings/<int:meeting_id>/sign-off/", views.sign_off_view, name="sign_off"),
    path("meetings/<int:meeting_id>/circulate/", views.circulate_view, name="circulate"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes_view, name="minutes"),
    path("meetings/<int:meeting_id>/minutes.pdf", views.minutes_pdf_view, name="minutes_pdf"),
    path("escalate/<int:child_id>/", views.escalate_view, name="escalate"),
]
