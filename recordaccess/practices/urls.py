from django.urls import path

from recordaccess.audit import views as audit_views
from recordaccess.conversations import views as conversation_views
from recordaccess.intake import staff_views as intake_staff
from recordaccess.outreach import views as outreach_views
from recordaccess.patients import views as patient_views
from recordaccess.practices import views
from recordaccess.review import views as review_views

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/set-up-app/", views.enrol, name="enrol"),
    path("sign-in/security-code/", views.verify, name="verify"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("invitations/<int:invitation_id>/<slug:answer>/", views.invitation_answer, name="invitation_answer"),
    path("p/<str:ods>/", views.dashboard, name="dashboard"),
    path("p/<str:ods>/practice/", views.practice, name="practice"),
    path("p/<str:ods>/practice/details/", views.practice_edit, name="practice_edit"),
    path("p/<str:ods>/practice/dpia/", views.dpia_edit, name="dpia_edit"),
    path("p/<str:ods>/practice/resources/", views.resources, name="resources"),
    path(
        "p/<str:ods>/practice/resources/<int:resource_id>/remove/",
        views.resource_delete,
        name="resource_delete",
    ),
    path("p/<str:ods>/staff/", views.staff_list, name="staff"),
    path("p/<str:ods>/staff/<int:user_id>/<slug:action>/", views.staff_action, name="staff_action"),
    path("p/<str:ods>/staff/invite/", views.staff_invite, name="staff_invite"),
    path(
        "p/<str:ods>/staff/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("p/<str:ods>/patients/", patient_views.patient_search, name="patients"),
    path("p/<str:ods>/patients/<int:patient_id>/", patient_views.patient_detail, name="patient"),
    path(
        "p/<str:ods>/patients/communication/",
        patient_views.communication_worklist,
        name="communication_worklist",
    ),
    path(
        "p/<str:ods>/patients/communication/<int:patient_id>/told/",
        patient_views.communication_told,
        name="communication_told",
    ),
    path(
        "p/<str:ods>/patients/<int:patient_id>/flags/",
        patient_views.patient_flag_add,
        name="patient_flag_add",
    ),
    path(
        "p/<str:ods>/patients/<int:patient_id>/flags/<int:flag_id>/end/",
        patient_views.patient_flag_end,
        name="patient_flag_end",
    ),
    path("p/<str:ods>/cohorts/", patient_views.cohort_list, name="cohorts"),
    path("p/<str:ods>/cohorts/new/", patient_views.cohort_edit, name="cohort_new"),
    path("p/<str:ods>/cohorts/count/", patient_views.cohort_count, name="cohort_count"),
    path("p/<str:ods>/cohorts/<int:cohort_id>/", patient_views.cohort_edit, name="cohort"),
    path("p/<str:ods>/cohorts/<int:cohort_id>/delete/", patient_views.cohort_delete, name="cohort_delete"),
    path("p/<str:ods>/campaigns/", outreach_views.campaign_list, name="campaigns"),
    path("p/<str:ods>/campaigns/new/", outreach_views.campaign_new, name="campaign_new"),
    path("p/<str:ods>/campaigns/<int:campaign_id>/", outreach_views.campaign_detail, name="campaign"),
    path(
        "p/<str:ods>/campaigns/<int:campaign_id>/<slug:action>/",
        outreach_views.campaign_action,
        name="campaign_action",
    ),
    path("p/<str:ods>/outbox/", outreach_views.outbox, name="outbox"),
    path("p/<str:ods>/replies/", outreach_views.reply_list, name="replies"),
    path(
        "p/<str:ods>/replies/<int:reply_id>/answered/", outreach_views.reply_answered, name="reply_answered"
    ),
    path("p/<str:ods>/requests/", intake_staff.request_list, name="requests"),
    path("p/<str:ods>/waiting-list/", review_views.waiting_list, name="waiting_list"),
    path("p/<str:ods>/requests/<int:request_id>/need/", review_views.mark_need, name="request_need"),
    path("p/<str:ods>/waiting-list/settings/", review_views.policy_edit, name="waiting_policy"),
    path("p/<str:ods>/requests/<int:request_id>/review/", review_views.review, name="review"),
    path("p/<str:ods>/requests/<int:request_id>/review/claim/", review_views.claim, name="review_claim"),
    path(
        "p/<str:ods>/requests/<int:request_id>/review/release/", review_views.release, name="review_release"
    ),
    path(
        "p/<str:ods>/requests/<int:request_id>/review/checklist/",
        review_views.save_checklist,
        name="review_checklist",
    ),
    path("p/<str:ods>/requests/<int:request_id>/review/decide/", review_views.decide, name="review_decide"),
    path("p/<str:ods>/coding/", review_views.coding_page, name="coding"),
    path("p/<str:ods>/coding/export/", review_views.coding_export, name="coding_export"),
    path("p/<str:ods>/coding/<int:export_id>/confirm/", review_views.coding_confirm, name="coding_confirm"),
    path(
        "p/<str:ods>/redactions/<int:decision_id>/done/", review_views.redaction_done, name="redaction_done"
    ),
    path("p/<str:ods>/capacity/", review_views.capacity_page, name="capacity"),
    path("p/<str:ods>/conversations/", conversation_views.slots, name="slots"),
    path("p/<str:ods>/conversations/<int:slot_id>/", conversation_views.slot_detail, name="slot"),
    path("p/<str:ods>/conversations/<int:slot_id>/book/", conversation_views.slot_book, name="slot_book"),
    path(
        "p/<str:ods>/bookings/<int:booking_id>/cancel/",
        conversation_views.booking_cancel,
        name="booking_cancel",
    ),
    path("p/<str:ods>/requests/new/", intake_staff.request_new, name="request_new"),
    path(
        "p/<str:ods>/patients/<int:patient_id>/request/", intake_staff.request_capture, name="request_capture"
    ),
    path("p/<str:ods>/requests/paper-form.pdf", intake_staff.paper_form, name="request_paper_form"),
    path("p/<str:ods>/requests/<int:request_id>/", intake_staff.request_detail, name="request"),
    path("p/<str:ods>/requests/<int:request_id>/match/", intake_staff.request_match, name="request_match"),
    path(
        "p/<str:ods>/requests/<int:request_id>/identity/",
        intake_staff.request_identity,
        name="request_identity",
    ),
    path("p/<str:ods>/requests/<int:request_id>/move/", intake_staff.request_move, name="request_move"),
    path(
        "p/<str:ods>/requests/<int:request_id>/identity/<int:check_id>/document",
        intake_staff.identity_document,
        name="identity_document",
    ),
    path("p/<str:ods>/requests/<int:request_id>/proxy/", intake_staff.request_proxy, name="request_proxy"),
    path("p/<str:ods>/outbox/<int:item_id>/letter.pdf", outreach_views.outbox_letter, name="outbox_letter"),
    path(
        "p/<str:ods>/campaigns/<int:campaign_id>/letters/new/",
        outreach_views.letter_print_new,
        name="letter_print_new",
    ),
    path(
        "p/<str:ods>/campaigns/<int:campaign_id>/letters/<int:print_id>/",
        outreach_views.letter_print,
        name="letter_print",
    ),
    path(
        "p/<str:ods>/campaigns/<int:campaign_id>/letters/<int:print_id>/status",
        outreach_views.letter_print_status,
        name="letter_print_status",
    ),
    path(
        "p/<str:ods>/campaigns/<int:campaign_id>/letters/<int:print_id>/letters.pdf",
        outreach_views.letter_print_pdf,
        name="letter_print_pdf",
    ),
    path("p/<str:ods>/register/", patient_views.register_upload, name="register"),
    path("p/<str:ods>/register/<int:import_id>/", patient_views.register_import, name="register_import"),
    path(
        "p/<str:ods>/register/<int:import_id>/status/",
        patient_views.register_import_status,
        name="register_import_status",
    ),
    path(
        "p/<str:ods>/register/<int:import_id>/problems.csv",
        patient_views.register_import_report,
        name="register_import_report",
    ),
    path("p/<str:ods>/templates/", outreach_views.template_list, name="templates"),
    path("p/<str:ods>/templates/install/", outreach_views.template_install, name="template_install"),
    path("p/<str:ods>/templates/<int:template_id>/", outreach_views.template_edit, name="template"),
    path("p/<str:ods>/templates/<int:template_id>/use/", outreach_views.template_use, name="template_use"),
    path(
        "p/<str:ods>/templates/<int:template_id>/letter.pdf",
        outreach_views.template_letter,
        name="template_letter",
    ),
    path(
        "p/<str:ods>/templates/<int:template_id>/poster.pdf",
        outreach_views.template_poster,
        name="template_poster",
    ),
    path(
        "p/<str:ods>/templates/<int:template_id>/approve/",
        outreach_views.template_approve,
        name="template_approve",
    ),
    path("p/<str:ods>/audit/", audit_views.audit_search, name="audit"),
]
