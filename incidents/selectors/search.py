"""The officer's case search: by reference, ERDR number, a person's name or an IIN, over their own cases only.

The cases searched are `access.incidents_for_officer` (the officer's posts and police departments), the one
rule of what an officer may see. Names are matched on their stored keys (`common.names.name_key`): every word
typed must be part of one person's name, in Cyrillic or Latin, whatever the case, ё or е. An IIN is matched
exactly through its keyed digest, never in clear. On PostgreSQL trigram indexes serve every kind
(migration 0017_search_trigram_indexes); the same queries run, unindexed, on SQLite.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.names import name_key
from incidents import access
from incidents.models import Attacker, CaseSearch, Incident, Victim
from legal.iin import IIN_LENGTH, iin_digest, is_valid_iin, validate_iin

SEARCH_LIMIT = 50
MIN_CHARACTERS = 3  # of a reference or ERDR number: fewer would match most cases
MIN_NAME_LETTERS = 2  # "Ли", "Ким" are whole surnames
SHORT_WORD = 3  # letters of a trigram
_DIGITS_ONLY = re.compile(r"^[\d\s\-\u00a0]+$")


@dataclass(frozen=True)
class SearchQuery:
    """What to search for, normalised: a reference in capitals, ERDR or IIN digits, or a name's key."""

    kind: str
    text: str


def search_query_parse(text: str, kind: str = "") -> SearchQuery:
    """The query as typed, read as `kind` (or, when none is given, as what it looks like); ValidationError if
    it cannot be searched."""
    text = " ".join(str(text).split())
    if not text:
        raise ValidationError(_("Type what to search for."), code="required")
    if not kind:
        kind = _kind_of(text)
    if kind == CaseSearch.Kind.IIN:
        return SearchQuery(kind, validate_iin(text))
    if kind == CaseSearch.Kind.ERDR:
        digits = re.sub(r"[\s\-\u00a0]", "", text)
        if len(digits) < MIN_CHARACTERS or not (digits.isascii() and digits.isdigit()):
            raise ValidationError(_("Type at least 3 digits of the ERDR number."), code="erdr")
        return SearchQuery(kind, digits)
    if kind == CaseSearch.Kind.REFERENCE:
        reference = text.replace(" ", "").upper()
        if len(reference) < MIN_CHARACTERS:
            raise ValidationError(_("Type at least 3 characters of the reference number."), code="reference")
        return SearchQuery(kind, reference)
    key = name_key(text)
    if len(key.replace(" ", "")) < MIN_NAME_LETTERS:
        raise ValidationError(_("Type at least 2 letters of the name."), code="name")
    return SearchQuery(CaseSearch.Kind.NAME, key)


def _kind_of(text: str) -> str:
    if _DIGITS_ONLY.match(text):
        digits = re.sub(r"\D", "", text)
        return CaseSearch.Kind.IIN if len(digits) == IIN_LENGTH and is_valid_iin(digits) else CaseSearch.Kind.ERDR
    if any(char.isdigit() for char in text):
        return CaseSearch.Kind.REFERENCE
    return CaseSearch.Kind.NAME


def _word_q(word: str) -> Q:
    """A word typed is part of a name; a word shorter than a trigram ("Ли", an initial) begins a word of it.

    The short ones are also those a trigram index cannot find anywhere in a word, but can at a word's start.
    """
    if len(word) >= SHORT_WORD:
        return Q(name_key__contains=word)
    return Q(name_key__startswith=word) | Q(name_key__contains=f" {word}")


def _people_q(query: SearchQuery) -> tuple[Q, Q] | None:
    """Which victims and which attackers the query names, or None for a search by a case's numbers."""
    if query.kind == CaseSearch.Kind.NAME:
        condition = Q()
        for word in query.text.split():
            condition &= _word_q(word)
        return condition, condition
    if query.kind == CaseSearch.Kind.IIN:  # only attackers have an IIN
        return Q(pk__in=[]), Q(iin_digest=iin_digest(query.text))
    return None


def search_matches(query: SearchQuery, *, scope: QuerySet[Incident]) -> QuerySet[Incident]:
    """The cases of `scope` the query finds, newest first."""
    if query.kind == CaseSearch.Kind.REFERENCE:
        matches = scope.filter(reference__contains=query.text)
    elif query.kind == CaseSearch.Kind.ERDR:
        matches = scope.filter(erdr_number__contains=query.text)
    else:
        victims_q, attackers_q = _people_q(query) or (Q(), Q())
        attackers = Attacker.objects.filter(attackers_q).order_by().values("incident_id")
        if query.kind == CaseSearch.Kind.IIN:
            matches = scope.filter(pk__in=attackers)
        else:
            victims = Victim.objects.filter(victims_q).order_by().values("incident_id")
            matches = scope.filter(pk__in=victims.union(attackers))
    return matches.order_by("-submitted_at", "-pk")


@dataclass
class SearchResults:
    query: SearchQuery
    cases: list[Incident] = field(default_factory=list)
    total: int = 0
    limit: int = SEARCH_LIMIT

    @property
    def more(self) -> bool:
        return self.total > len(self.cases)


def case_search_results(user: User, query: SearchQuery, *, limit: int | None = None) -> SearchResults:
    """The officer's cases the query finds (the newest `limit`, each with the people it matched) and how many."""
    limit = SEARCH_LIMIT if limit is None else limit
    matches = search_matches(query, scope=access.incidents_for_officer(user))
    people = _people_q(query)
    if people is not None:
        # People are matched first, then joined to the officer's cases: every match is read anyway, so one query
        # gives the newest ids and the count of all (a window, before the limit).
        newest = list(matches.annotate(found=Window(Count("pk"))).values_list("pk", "found")[:limit])
        ids, total = [pk for pk, _found in newest], newest[0][1] if newest else 0
    else:
        # A number's part may match most of a post's cases: the newest come first from the post's index, and
        # only when there are more are all counted (on the inbox index, which includes the numbers).
        ids = list(matches.values_list("pk", flat=True)[: limit + 1])
        total = len(ids) if len(ids) <= limit else matches.count()
    cases = Incident.objects.filter(pk__in=ids[:limit]).select_related("facility", "police_post")
    if people is not None:
        cases = cases.prefetch_related(
            Prefetch("victims", queryset=Victim.objects.filter(people[0]), to_attr="matched_victims"),
            Prefetch("attackers", queryset=Attacker.objects.filter(people[1]), to_attr="matched_attackers"),
        )
    shown = list(cases.order_by("-submitted_at", "-pk")) if ids else []
    return SearchResults(query=query, cases=shown, total=total, limit=limit)
