"""What the API answers: plain read-only shapes of the rows the selectors load."""

from typing import Any

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from facilities.models import Department, Facility, PolicePost
from incidents import access
from incidents.forms.cases import ACTION_FORMS
from incidents.models import ForensicHarm, Incident, Outcome
from incidents.workflow import actions_offered


class FacilitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Facility
        fields = ["id", "code", "name", "name_ru", "name_kk", "name_en", "kind", "district", "address", "is_active"]
        read_only_fields = fields


class DepartmentSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = Department
        fields = ["id", "facility", "kind", "name", "label"]
        read_only_fields = fields

    def get_label(self, department: Department) -> str:
        return str(department)


class PostSerializer(serializers.ModelSerializer):
    police_department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PolicePost
        fields = ["id", "code", "facility", "police_department", "phone", "round_the_clock", "status"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    """A report as its reporter (or the facility lead) reads it: no police data, no legal assessment."""

    facility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "reference",
            "status",
            "status_label",
            "act",
            "occurred_at",
            "submitted_at",
            "facility",
            "department",
            "place",
            "account",
            "injury",
            "outcome",
        ]
        read_only_fields = fields


class CaseListSerializer(serializers.ModelSerializer):
    """A case in the officer's list."""

    facility = serializers.CharField(source="facility_code", read_only=True, help_text="The facility's code.")
    police_post = serializers.CharField(
        source="police_post_code", read_only=True, allow_null=True, help_text="The police post's code."
    )
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "reference",
            "status",
            "act",
            "occurred_at",
            "submitted_at",
            "facility",
            "police_post",
            "legal_part",
            "due_at",
            "overdue",
            "version",
        ]
        read_only_fields = fields

    @staticmethod
    def rows(cases: QuerySet[Incident]) -> QuerySet[Incident]:
        """The cases as the list reads them: only the columns it shows (not the case's account and its sixty other
        columns), with the facility's and the post's codes joined in rather than their rows."""
        return (
            cases.select_related(None)
            .only("reference", "status", "act", "occurred_at", "submitted_at", "legal_part", "due_at", "version")
            .annotate(facility_code=F("facility__code"), police_post_code=F("police_post__code"))
        )


class VictimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    is_reporter = serializers.BooleanField()
    role = serializers.CharField()
    duty_link = serializers.CharField()


class AttackerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    relation = serializers.CharField()
    description = serializers.CharField()
    full_name = serializers.CharField()
    minor = serializers.CharField()
    intoxicated = serializers.BooleanField()
    identified_by_police = serializers.BooleanField()


class CaseSerializer(CaseListSerializer):
    """A case as an officer of its post reads it (the case page's facts)."""

    # One case, read whole: its facility and post are its related rows, not the list's annotated codes.
    facility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    police_post = serializers.SlugRelatedField(slug_field="code", read_only=True)
    victims = serializers.SerializerMethodField()
    attackers = AttackerSerializer(many=True, read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    forensic_harm = serializers.ChoiceField(choices=ForensicHarm.choices, allow_blank=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "place",
            "department",
            "address",
            "account",
            "injury",
            "sick_leave_days",
            "weapon_used",
            "choked",
            "attackers_count",
            "circumstances",
            "witnesses",
            "wants_prosecution",
            "footage_available",
            "reporter_confidential",
            "erdr_number",
            "erdr_registered_on",
            "forensic_harm",
            "outcome",
            "closed_at",
            "victims",
            "attackers",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(VictimSerializer(many=True))
    def get_victims(self, incident: Incident) -> list[dict[str, Any]]:
        show_reporter = self.context.get("show_reporter", False)
        return [
            {
                "id": victim.pk,
                "full_name": access.victim_name_shown(victim, show_reporter=show_reporter),
                "is_reporter": victim.is_reporter,
                "role": victim.role,
                "duty_link": victim.duty_link,
            }
            for victim in incident.victims.all()
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, incident: Incident) -> list[str]:
        # As the case page offers them: the status's actions whose form applies to the case (an episode link
        # only when an earlier report was found).
        return [name for name in actions_offered(incident.status) if ACTION_FORMS[name].applies_to(incident)]
