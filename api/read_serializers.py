"""Output serializers of the read API (and the shared filter inputs). Field names are camelCase in JSON, as other
HMPPS APIs name them; the words are the policy's (POM, COM, handover date, early allocation, key worker, tier)."""

from rest_framework import serializers

from api.errors import invalid_field

POM_OR_COM = ["POM", "COM"]


class OutputSerializer(serializers.Serializer):
    """An output serializer whose fields are bound once per class instead of once per use.

    DRF deep-copies every declared field (nested serializers included) each time a serializer is made; for the
    handover read that copying cost more than the query (issue #10). Output only, and only for fields that read
    nothing from ``context`` (no request, no hyperlinks): the bound fields are shared by every instance, and
    ``to_representation`` of these fields keeps no state. The JSON is exactly DRF's.
    """

    @property
    def fields(self):
        shared = type(self).__dict__.get("_shared_fields")
        if shared is None:
            shared = serializers.Serializer.fields.func(self)  # DRF's own binding, done once
            type(self)._shared_fields = shared
            type(self)._shared_readable = tuple(f for f in shared.values() if not f.write_only)
        return shared

    @property
    def _readable_fields(self):
        readable = type(self).__dict__.get("_shared_readable")
        if readable is None:
            self.fields  # noqa: B018 (binds them)
            readable = type(self)._shared_readable
        return readable


class PageInputSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=100_000, default=1)
    pageSize = serializers.IntegerField(min_value=1, max_value=500, default=100)


class PageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pageSize = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)


def paged(name: str, row: type[serializers.Serializer]) -> type[serializers.Serializer]:
    return type(name, (PageSerializer,), {"results": row(many=True), "__module__": __name__})


class PrisonSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PomSerializer(serializers.Serializer):
    staffId = serializers.IntegerField(source="staff_id", help_text="The POM's id at this prison.")
    name = serializers.CharField()
    email = serializers.EmailField(allow_null=True)
    pomType = serializers.ChoiceField(source="pom_type", choices=["probation", "prison"])
    allocatedAt = serializers.DateTimeField(source="allocated_at")
    prisonCode = serializers.CharField(source="prison_code")


class AllocationSerializer(serializers.Serializer):
    prisonNumber = serializers.CharField(source="prison_number")
    prisonCode = serializers.CharField(source="prison_code")
    primaryPom = PomSerializer(source="primary_pom", allow_null=True)
    coworkingPom = PomSerializer(source="co_working_pom", allow_null=True)


class PrimaryPomSerializer(serializers.Serializer):
    prisonNumber = serializers.CharField(source="prison_number")
    name = serializers.CharField()
    email = serializers.EmailField(allow_null=True)
    prison = PrisonSerializer()


class ContactSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["POM", "COM", "LDU"], help_text="LDU: no COM named yet; the mailbox.")
    name = serializers.CharField()
    email = serializers.EmailField(allow_null=True)


class HandoverSerializer(OutputSerializer):
    prisonNumber = serializers.CharField(source="prison_number")
    prisonCode = serializers.CharField(source="prison_code")
    insideOmicPolicy = serializers.BooleanField(source="inside_omic_policy")
    handoverStartDate = serializers.DateField(source="handover_start_date", allow_null=True)
    handoverDate = serializers.DateField(source="handover_date", allow_null=True)
    responsibility = serializers.ChoiceField(choices=POM_OR_COM, allow_null=True, help_text="Who is responsible.")
    responsibilityDetail = serializers.CharField(
        source="responsibility_detail", allow_null=True, help_text="CustodyOnly, CustodyWithCom or Community."
    )
    comSupporting = serializers.BooleanField(source="com_supporting")
    responsibilityOverridden = serializers.BooleanField(source="responsibility_overridden")
    responsiblePerson = ContactSerializer(source="responsible_person", allow_null=True)
    com = ContactSerializer(allow_null=True)
    reason = serializers.CharField()
    policy = serializers.CharField(help_text="The handover policy version applied (DECISIONS.md D-01).")
    handoverType = serializers.CharField(source="handover_type")
    earliestReleaseDate = serializers.DateField(source="earliest_release_date", allow_null=True)
    earliestReleaseType = serializers.CharField(source="earliest_release_type", allow_null=True)
    source = serializers.ChoiceField(choices=["stored", "calculated"])
    calculatedOn = serializers.DateField(source="calculated_on")


class EarlyAllocationSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="A stable status code.")
    statusLabel = serializers.CharField(source="status_label")
    outcome = serializers.CharField(allow_null=True)
    assessedAt = serializers.DateTimeField(source="assessed_at", allow_null=True)


class OffenderSerializer(serializers.Serializer):
    prisonNumber = serializers.CharField(source="prison_number")
    prisonCode = serializers.CharField(source="prison_code")
    earlyAllocation = EarlyAllocationSerializer(source="early_allocation")


class StaffRefSerializer(serializers.Serializer):
    staffId = serializers.IntegerField(source="staff_id")
    name = serializers.CharField()


class CaseloadRowSerializer(serializers.Serializer):
    prisonNumber = serializers.CharField(source="prison_number")
    firstName = serializers.CharField(source="first_name")
    lastName = serializers.CharField(source="last_name")
    pom = StaffRefSerializer()
    role = serializers.ChoiceField(choices=["primary", "co_working"])
    allocatedAt = serializers.DateTimeField(source="allocated_at")
    tier = serializers.CharField(allow_null=True)
    responsibility = serializers.ChoiceField(choices=POM_OR_COM, allow_null=True)
    handoverDate = serializers.DateField(source="handover_date", allow_null=True)


class HandoverListRowSerializer(serializers.Serializer):
    prisonNumber = serializers.CharField(source="prison_number")
    firstName = serializers.CharField(source="first_name")
    lastName = serializers.CharField(source="last_name")
    handoverStartDate = serializers.DateField(source="handover_start_date", allow_null=True)
    handoverDate = serializers.DateField(source="handover_date")
    responsibility = serializers.ChoiceField(choices=POM_OR_COM, allow_null=True)
    reason = serializers.CharField()
    policy = serializers.CharField()
    handoverType = serializers.CharField(source="handover_type")


class KeyWorkerSerializer(serializers.Serializer):
    staffId = serializers.IntegerField(help_text="The key worker's user id.")
    name = serializers.CharField()
    allocatedAt = serializers.DateTimeField()


class KeyWorkSessionSerializer(serializers.Serializer):
    sessionDate = serializers.DateField()
    durationMinutes = serializers.IntegerField(allow_null=True)
    keyWorkerName = serializers.CharField()


class KeyWorkSerializer(serializers.Serializer):
    prisonNumber = serializers.CharField()
    keyWorker = KeyWorkerSerializer(allow_null=True)
    latestSession = KeyWorkSessionSerializer(allow_null=True)


class CaseNoteSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Stable: 'kw-<n>' for a key work record, 'pc-<n>' for a POM contact.")
    type = serializers.ChoiceField(choices=["key_work_session", "key_work_attempted", "key_work_entry", "pom_contact"])
    prisonNumber = serializers.CharField()
    prisonCode = serializers.CharField()
    occurredOn = serializers.DateField()
    createdAt = serializers.DateTimeField()
    authorName = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    sensitive = serializers.BooleanField()


class TierSerializer(serializers.Serializer):
    crn = serializers.CharField()
    prisonNumber = serializers.CharField()
    tier = serializers.CharField(allow_null=True)
    score = serializers.CharField(allow_null=True, help_text="The full result, e.g. B2 under V2.")
    model = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True)
    provisional = serializers.BooleanField()
    calculatedOn = serializers.DateField(allow_null=True)


class DateRangeInputSerializer(serializers.Serializer):
    """``from`` and ``to`` (inclusive), at most two years apart."""

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise invalid_field(self.to_field, f"{self.to_field} must not be before {self.from_field}")
        if start and end and (end - start).days > 731:
            raise invalid_field(self.to_field, f"{self.from_field} to {self.to_field} must be at most two years")
        return attrs
