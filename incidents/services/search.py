"""The officer's case search, recorded: every search goes into the audit log (`CaseSearch`)."""

import hashlib
import hmac

from django.conf import settings
from django.db import transaction

from accounts.models import User
from incidents.models import CaseSearch
from incidents.selectors.search import SearchQuery, SearchResults, case_search_results
from legal.iin import iin_digest


def search_query_digest(query: SearchQuery) -> str:
    """A keyed hash of a name or an IIN (an IIN's is `Attacker.iin_digest`), so neither is kept in clear."""
    if query.kind == CaseSearch.Kind.IIN:
        return iin_digest(query.text)
    if query.kind == CaseSearch.Kind.NAME:
        key = str(settings.QORGAU_IIN_HASH_KEY).encode()
        return hmac.new(key, f"name:{query.text}".encode(), hashlib.sha256).hexdigest()
    return ""


@transaction.atomic
def case_search(*, user: User, query: SearchQuery) -> SearchResults:
    """Search the officer's cases and record who searched, when, by what, and how many cases it found."""
    results = case_search_results(user, query)
    personal = query.kind in (CaseSearch.Kind.NAME, CaseSearch.Kind.IIN)
    CaseSearch.objects.create(
        user=user,
        kind=query.kind,
        query="" if personal else query.text[:64],
        query_digest=search_query_digest(query),
        results=results.total,
    )
    return results
