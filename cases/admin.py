from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import (
    AuditEvent,
    CaseInformation,
    CommunityOffenderManager,
    LocalDeliveryUnit,
    PomProfile,
    Prison,
    Prisoner,
    Sentence,
    StaffProfile,
)


@admin.register(Prison)
class PrisonAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "estate", "operator", "country"]
    list_filter = ["estate", "operator", "country"]
    search_fields = ["code", "name"]


@admin.register(Prisoner)
class PrisonerAdmin(SimpleHistoryAdmin):
    list_display = ["prison_number", "last_name", "first_name", "prison", "legal_status"]
    list_filter = ["prison", "legal_status"]
    search_fields = ["prison_number", "last_name", "first_name"]


@admin.register(Sentence)
class SentenceAdmin(SimpleHistoryAdmin):
    list_display = ["prisoner", "sentence_type", "sentence_start_date", "recalled"]
    list_select_related = ["prisoner"]
    raw_id_fields = ["prisoner"]
    search_fields = ["prisoner__prison_number"]


@admin.register(CaseInformation)
class CaseInformationAdmin(SimpleHistoryAdmin):
    list_display = ["prisoner", "crn", "tier", "tier_source", "rosh_level", "mappa_level"]
    raw_id_fields = ["prisoner", "com"]
    search_fields = ["prisoner__prison_number", "crn"]


@admin.register(LocalDeliveryUnit)
class LocalDeliveryUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "email", "country"]
    search_fields = ["code", "name"]


@admin.register(CommunityOffenderManager)
class CommunityOffenderManagerAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "local_delivery_unit"]
    search_fields = ["name", "email"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title"]
    filter_horizontal = ["prisons"]
    search_fields = ["user__username", "user__last_name"]


@admin.register(PomProfile)
class PomProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "prison", "pom_type", "working_pattern", "status"]
    list_filter = ["prison", "pom_type", "status"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows cannot be edited or deleted through the app."""

    list_display = ["created_at", "actor_label", "action", "prison_number", "object_type", "object_id", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["prison_number", "actor_label", "action", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
