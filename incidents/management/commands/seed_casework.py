"""The police side of seeded incidents: `manage.py seed_casework` after `manage.py seed_demo`.

seed_demo writes incidents and victims only, so an inbox or a case page on its data reads tables that are empty in
production. This command gives every seeded incident (references `SEED-…`) what the services would have written,
in realistic proportions: one legal assessment (a second one for one in ten), the ready notice, the history
(submitted, tagged, notice queued and ready, acknowledged, opened by an officer, ERDR registration, outcome), and
for one acknowledged case in ten a police question, answered seven times in ten. Assessments carry the facts and
result the rules give for a case of that act and part, so they weigh what real ones weigh.

PostgreSQL only: the rows are built by INSERT … SELECT from the incidents, in batches of ids, so a million
incidents take minutes, not hours. It is idempotent: incidents that already have their history are skipped.
"""

import datetime as dt
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Min

from accounts.models import User
from incidents.models import CaseMessage, Incident, IncidentEvent, Notice, Victim
from legal import statute
from legal.facts import Facts
from legal.models import LegalAssessment
from legal.rules import assess, rules_version

PREFIX = "SEED-"
BATCH = 100_000
SEED_NOTICE_FILE = "notices/seed/seeded-notice.pdf"
QUESTION = "Seeded question from the police: who else saw it?"
ANSWER = "Seeded answer: a guard and another nurse."
SECOND_TRIGGER = "suspect_identified"
OFFICER = "seed-demo-officer"  # the author of the seeded police actions (an inactive user, as seed_demo's reporter)


def tag_templates() -> list[tuple[str, bool | None, int | None, str, str]]:
    """(act, applicable, part, facts JSON, result JSON): one assessment the rules give for each act and part."""
    in_force = dt.datetime.combine(statute.CURRENT.in_force, dt.time(12), dt.UTC) + dt.timedelta(days=30)
    before = in_force - dt.timedelta(days=400)
    found: dict[tuple[str, bool | None, int | None], tuple[str, str]] = {}
    for act in statute.ACTS:
        for occurred in (in_force, before):
            for harm in statute.HARMS:
                for dangerous in (False, True):
                    for perpetrators, agreed in ((1, False), (2, True)):
                        for repeat in (False, True):
                            try:
                                facts = Facts(
                                    occurred_at=occurred,
                                    act=act,
                                    harm=harm,
                                    dangerous_method=dangerous,
                                    perpetrators=perpetrators,
                                    prior_agreement=agreed,
                                    repeat=repeat,
                                )
                            except ValueError:
                                continue
                            result = assess(facts)
                            key = (act, result.applicable, result.part)
                            found.setdefault(key, (json.dumps(facts.as_json()), json.dumps(result.as_json())))
    return [(act, applicable, part, facts, result) for (act, applicable, part), (facts, result) in found.items()]


def _defaults(model: Any, given: set[str]) -> tuple[list[str], list[Any]]:
    """The columns of `model` not in `given`, and their Python defaults ready for the database."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given:
            continue
        columns.append(field.column)
        values.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, values


def _insert(cursor: Any, model: Any, select: dict[str, str], source: str, params: list[Any] | None = None) -> int:
    """INSERT INTO model's table (every column) SELECT the `select` expressions and defaults FROM `source`.

    `params` fill the `%s` of the `select` expressions, in their order; `source` takes none (no `%` either).
    """
    other_columns, other_values = _defaults(model, set(select))
    columns = [*select, *other_columns]
    expressions = [*select.values(), *["%s"] * len(other_values)]
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(connection.ops.quote_name(c) for c in columns)})"  # noqa: S608
        f" SELECT {', '.join(expressions)} {source}"
    )
    cursor.execute(sql, [*(params or []), *other_values])
    return int(cursor.rowcount)


class Command(BaseCommand):
    help = "Give seeded incidents their legal assessments, notices, history and police questions."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("seed_casework writes with INSERT … SELECT on PostgreSQL only.")
        seeded = Incident.objects.filter(reference__startswith=PREFIX)
        bounds = seeded.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            raise CommandError("No seeded incidents: run `manage.py seed_demo --incidents N` first.")
        started = time.monotonic()
        officer, created = User.objects.get_or_create(username=OFFICER, defaults={"is_active": False})
        if created:
            officer.set_unusable_password()
            officer.save(update_fields=["password"])
        self.officer = str(int(officer.pk))  # a literal in the SQL below
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS seed_tag")
            cursor.execute(
                "CREATE TEMP TABLE seed_tag (act text, applicable boolean, part smallint, facts jsonb, result jsonb)"
            )
            cursor.executemany("INSERT INTO seed_tag VALUES (%s, %s, %s, %s::jsonb, %s::jsonb)", tag_templates())
        totals: dict[str, int] = {}
        low = bounds["low"]
        while low <= bounds["high"]:
            high = low + batch - 1
            with transaction.atomic():
                for name, count in self._batch(low, high).items():
                    totals[name] = totals.get(name, 0) + count
            low = high + 1
            self.stdout.write(f"  up to id {min(high, bounds['high'])}: {totals} ({time.monotonic() - started:.0f} s)")
        # As autovacuum would (it is off on some machines): without statistics the planner takes a busy post for a
        # quiet one, and without a visibility map index-only scans read the table.
        with connection.cursor() as cursor:
            for model in (Incident, Victim, IncidentEvent, LegalAssessment, Notice, CaseMessage):
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")  # noqa: S608 - our table names
        self.stdout.write(self.style.SUCCESS(f"Seeded case work in {time.monotonic() - started:.1f} s: {totals}"))

    def _batch(self, low: int, high: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS seed_batch")
            # The batch's seeded incidents that have no history yet, with the user who reported them.
            cursor.execute(
                "CREATE TEMP TABLE seed_batch AS SELECT i.* FROM incidents_incident i"
                " WHERE i.id BETWEEN %s AND %s AND i.reference LIKE %s"
                " AND NOT EXISTS (SELECT 1 FROM incidents_incidentevent e WHERE e.incident_id = i.id)",
                [low, high, PREFIX + "%"],
            )
            cursor.execute("ANALYZE seed_batch")
            # Assessments: the template of the act and part (else of the part, else a not-applicable one).
            tag = (
                "FROM seed_batch i CROSS JOIN LATERAL (SELECT t.facts, t.result FROM seed_tag t"
                " WHERE t.applicable IS NOT DISTINCT FROM COALESCE(i.legal_applicable, false)"
                " AND t.part IS NOT DISTINCT FROM i.legal_part ORDER BY (t.act = i.act) DESC LIMIT 1) t"
                " WHERE i.legal_applicable IS NOT NULL"
            )
            first = {
                "incident_id": "i.id",
                "sequence": "1",
                "rules_version": "%s",
                "trigger": "'submitted'",
                "facts": "t.facts",
                "result": "t.result",
                "applicable": "i.legal_applicable",
                "part": "i.legal_part",
                "created_by_id": "i.reporter_id",
                "created_at": "i.submitted_at",
            }
            version = rules_version()
            counts["assessments"] = self._assessments(cursor, first, tag, version)
            counts["notices"] = _insert(
                cursor,
                Notice,
                {
                    "incident_id": "i.id",
                    "version": "i.version",
                    "language": "'ru-kk'",
                    "status": f"'{Notice.Status.READY}'",
                    "file": f"'{SEED_NOTICE_FILE}'",
                    "attempts": "1",
                    "created_at": "i.submitted_at",
                    "queued_at": "i.submitted_at",
                    "rendered_at": "i.submitted_at + interval '4 seconds'",
                    "render_ms": "250 + mod(i.id, 100)",
                },
                "FROM seed_batch i",
            )
            counts["events"] = self._events(cursor)
            counts["questions"], counts["answers"] = self._questions(cursor)
        return counts

    def _assessments(self, cursor: Any, first: dict[str, str], tag: str, version: str) -> int:
        count = _insert(cursor, LegalAssessment, first, tag, [version])
        # One in ten is assessed again (a suspect identified, a forensic result): a second version.
        second = {
            **first,
            "sequence": "2",
            "trigger": f"'{SECOND_TRIGGER}'",
            "created_by_id": "NULL",
            "created_at": "COALESCE(i.acknowledged_at, i.submitted_at) + interval '1 day'",
        }
        count += _insert(cursor, LegalAssessment, second, tag + " AND mod(i.id, 10) = 3", [version])
        return count

    def _events(self, cursor: Any) -> int:
        kind = IncidentEvent.Kind
        total = 0

        def event(
            kind_value: str,
            data: str,
            at: str,
            where: str = "TRUE",
            actor: str = "NULL",
            visible: bool = False,
            source: str = "FROM seed_batch i",
        ) -> int:
            return _insert(
                cursor,
                IncidentEvent,
                {
                    "incident_id": "i.id",
                    "kind": f"'{kind_value}'",
                    "actor_id": actor,
                    "data": data,
                    "visible_to_reporter": "true" if visible else "false",
                    "created_at": at,
                },
                f"{source} WHERE {where}",
            )

        total += event(
            kind.SUBMITTED,
            "jsonb_build_object('reference', i.reference, 'police_post', i.police_post_id,"
            " 'police_department', i.police_department_id, 'evidence', 0)",
            "i.submitted_at",
            actor="i.reporter_id",
            visible=True,
        )
        total += event(
            kind.TAGGED,
            "jsonb_build_object('assessment', a.id, 'sequence', a.sequence, 'trigger', a.trigger,"
            " 'applicable', a.applicable, 'part', a.part, 'previous_part', NULL, 'provisional', a.provisional,"
            " 'changed', '[]'::jsonb, 'effective_part', i.legal_part)",
            "a.created_at",
            source="FROM seed_batch i JOIN legal_legalassessment a ON a.incident_id = i.id",
        )
        for kind_value, extra, at in (
            (kind.NOTICE_QUEUED, "", "n.created_at"),
            (kind.NOTICE_READY, ", 'sha256', n.sha256", "n.rendered_at"),
        ):
            total += event(
                kind_value,
                f"jsonb_build_object('notice', n.id, 'version', n.version, 'language', n.language{extra})",
                at,
                source="FROM seed_batch i JOIN incidents_notice n ON n.incident_id = i.id",
            )
        acknowledged = "i.acknowledged_at IS NOT NULL"
        total += event(
            kind.ACKNOWLEDGED, "'{}'::jsonb", "i.acknowledged_at", acknowledged, actor=self.officer, visible=True
        )
        # An officer opens a case once to three times.
        for views in range(3):
            total += event(
                kind.VIEWED,
                "'{}'::jsonb",
                f"i.acknowledged_at + interval '{views} hours'",
                f"{acknowledged} AND mod(i.id, 3) >= {views}",
                actor=self.officer,
            )
        total += event(
            kind.ERDR_REGISTERED,
            "jsonb_build_object('erdr_number', i.erdr_number, 'registered_on', i.erdr_registered_on::text)",
            "i.erdr_registered_on + time '12:00'",
            "i.erdr_registered_on IS NOT NULL",
            actor=self.officer,
            visible=True,
        )
        total += event(
            kind.OUTCOME_RECORDED,
            "jsonb_build_object('outcome', i.outcome)",
            "i.erdr_registered_on + time '12:00' + interval '1 minute'",
            "i.outcome = 'under_investigation'",
            visible=True,
        )
        total += event(
            kind.CLOSED,
            "jsonb_build_object('outcome', i.outcome)",
            "COALESCE(i.closed_at, i.status_changed_at, i.submitted_at)",
            "i.outcome <> '' AND i.outcome <> 'under_investigation'",
            visible=True,
        )
        return total

    def _questions(self, cursor: Any) -> tuple[int, int]:
        """A police question on one acknowledged case in ten, answered by the reporter seven times in ten."""
        message = {
            "incident_id": "i.id",
            "kind": f"'{CaseMessage.Kind.QUESTION}'",
            "author_id": self.officer,
            "body": "%s",
            "in_reply_to_id": "NULL",
            "created_at": "i.acknowledged_at + interval '10 minutes'",
        }
        questions = _insert(
            cursor,
            CaseMessage,
            message,
            "FROM seed_batch i WHERE i.acknowledged_at IS NOT NULL AND mod(i.id, 10) = 7",
            [QUESTION],
        )
        answers = _insert(
            cursor,
            CaseMessage,
            {
                **message,
                "kind": f"'{CaseMessage.Kind.ANSWER}'",
                "author_id": "i.reporter_id",
                "in_reply_to_id": "q.id",
                "created_at": "q.created_at + interval '3 hours'",
            },
            "FROM seed_batch i JOIN incidents_casemessage q ON q.incident_id = i.id AND q.kind = 'question'"
            " WHERE mod(i.id, 100) < 70",
            [ANSWER],
        )
        for kind_value, visible, kind_filter in (
            (IncidentEvent.Kind.QUESTION_ASKED, True, CaseMessage.Kind.QUESTION),
            (IncidentEvent.Kind.QUESTION_ANSWERED, True, CaseMessage.Kind.ANSWER),
        ):
            data = (
                "jsonb_build_object('message', m.id)"
                if kind_filter == CaseMessage.Kind.QUESTION
                else "jsonb_build_object('message', m.id, 'question', m.in_reply_to_id)"
            )
            _insert(
                cursor,
                IncidentEvent,
                {
                    "incident_id": "i.id",
                    "kind": f"'{kind_value}'",
                    "actor_id": self.officer if kind_filter == CaseMessage.Kind.QUESTION else "i.reporter_id",
                    "data": data,
                    "visible_to_reporter": "true" if visible else "false",
                    "created_at": "m.created_at",
                },
                f"FROM seed_batch i JOIN incidents_casemessage m ON m.incident_id = i.id AND m.kind = '{kind_filter}'",
            )
        return questions, answers
