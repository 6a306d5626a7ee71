"""What the inbox reads of an officer's whole scope (counts per status, the newest case, the facilities), cached.

At national scale a busy post has ninety thousand cases: counting them on every page and every poll was most of the
inbox's time (issue 14). Each summary is cached under the scope and the scope's *generations*: one cache value per
police post and per police department, replaced on commit by every write that changes a case's status, deadline or
post (`scope_changed`, called by `incident_deadline_refresh`, which every such write passes through). A write
therefore shows on the next request; a case that turns overdue by the clock alone shows within the cache's lifetime,
the inbox's poll interval (`QORGAU_INBOX_POLL_SECONDS`).
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from incidents.access import OfficerScope

T = TypeVar("T")
PREFIX = "inbox"


def _generation_keys(*, post_ids: Iterable[int], department_ids: Iterable[int]) -> list[str]:
    return [f"{PREFIX}:gen:post:{pk}" for pk in sorted(post_ids)] + [
        f"{PREFIX}:gen:department:{pk}" for pk in sorted(department_ids)
    ]


def scope_changed(*, post_ids: Iterable[int | None], department_ids: Iterable[int | None]) -> None:
    """The cases of these posts and departments changed: their summaries are read afresh after the commit."""
    keys = _generation_keys(
        post_ids={pk for pk in post_ids if pk is not None},
        department_ids={pk for pk in department_ids if pk is not None},
    )
    if keys:
        # Now, for reads inside this transaction, and again on commit: a summary another request computed from the
        # rows as they were before the commit is then left under a generation nobody reads any more.
        cache.set_many(dict.fromkeys(keys, time.time_ns()), timeout=None)
        transaction.on_commit(lambda: cache.set_many(dict.fromkeys(keys, time.time_ns()), timeout=None))


def scope_cached(scope: OfficerScope, name: str, compute: Callable[[], T]) -> T:
    """`compute()` for this scope, from the cache while no write touched the scope (at most one poll interval).

    The value is kept with the generations it was computed under, and read with the current ones in one round trip
    (the poll is little more than this read: issue 14); a value under other generations is computed again."""
    keys = _generation_keys(post_ids=scope.post_ids, department_ids=scope.department_ids)
    key = f"{PREFIX}:" + hashlib.sha256(f"{name}|{'|'.join(keys)}".encode()).hexdigest()[:40]
    found = cache.get_many([*keys, key])
    signature = "|".join(f"{generation}={found.get(generation, 0)}" for generation in keys)
    kept = found.get(key)
    if kept is not None and kept[0] == signature:
        return kept[1]
    value = compute()
    cache.set(key, (signature, value), timeout=settings.QORGAU_INBOX_POLL_SECONDS)
    return value
