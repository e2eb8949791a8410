from django.urls import path

from cairn.panels import views_actions as views

app_name = "actions"
urlpatterns = [
    path("mine/", views.mine_view, name="mine"),
    path("overdue/", views.overdue_view, name="overdue"),
    path("without-safety-plan/", views.without_safety_plan_view, name="without_safety_plan"),
    path("child/<int:child_id>/", views.child_plans_view, name="child"),
    path("child/<int:child_id>/plans/new/", views.plan_new_view, name="plan_new"),
    path("plans/<int:plan_id>/close/", views.plan_close_view, name="plan_close"),
    path("plans/<int:plan_id>/actions/new/", views.action_new_view, name="action_new"),
    path("<int:action_id>/update/", views.action_update_view, name="update"),
    path("disruption/", views.disruption_list_view, name="disruption"),
    path("disruption/new/", views.disruption_new_view, name="disruption_new"),
]
