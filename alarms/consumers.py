"""The live channel's server side: one WebSocket per open page, joined to the groups of who is looking.

An officer's page joins the groups of their posts and their own (a lead's or a district officer's page is reached
through its own group once the ladder gets there); the nurse's status page joins its alarm's group. A message on a
group names an alarm only: each connection reads it under its own user's access and language and sends the card.
"""

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation

from alarms import access, live, selectors

# Close codes (4000-4999 are the application's): not logged in, an alarm the user may not see.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404


def _groups_for(user: Any, alarm_id: int | None) -> list[str] | None:
    """The groups this user's page joins; None when the page asks for an alarm the user may not see."""
    if alarm_id is not None:
        if not access.alarms_for(user).filter(pk=alarm_id).exists():
            return None
        return [live.alarm_group(alarm_id)]
    groups = [live.user_group(user.pk)]
    if user.has_perm("incidents.work_case"):
        groups += [live.post_group(post_id) for post_id in user.post_assignments.values_list("post_id", flat=True)]
    return groups


def _waiting(user: Any) -> list[int]:
    return list(selectors.waiting_alarms(user).values_list("pk", flat=True)[:20])


def _payload(user: Any, alarm_id: int, language: str) -> dict[str, Any] | None:
    with translation.override(language):
        return selectors.live_payload(user, alarm_id)


class AlarmConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type information
    groups_joined: list[str]
    language: str

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        language = (query.get("lang") or [""])[0]
        self.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        alarm_value = (query.get("alarm") or [""])[0]
        alarm_id = int(alarm_value) if alarm_value.isdigit() and len(alarm_value) < 18 else None
        if alarm_value and alarm_id is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        groups = await database_sync_to_async(_groups_for)(user, alarm_id)
        if groups is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.groups_joined = groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        if alarm_id is None:
            # Alarms raised while this page was loading or reconnecting, still waiting for an answer.
            for waiting in await database_sync_to_async(_waiting)(user):
                await self.alarm_changed({"alarm": waiting})

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # The page only listens; a "ping" keeps proxies from closing an idle connection.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def alarm_changed(self, event: dict[str, Any]) -> None:
        """`{"type": "alarm.changed", "alarm": id}` on a group: send this page the alarm as its user sees it."""
        alarm_id = event.get("alarm")
        if not isinstance(alarm_id, int):
            return
        user = self.scope["user"]
        rendered = (event.get("officers") or {}).get(self.language)
        if rendered is not None:
            # Through the post's group, which this page joined as an officer of that post: the message as every
            # officer of the post sees it, rendered once by the sender, no query here.
            ring = bool(rendered.get("ring")) and event.get("raised_by") != user.pk
            await self.send_json({"type": "alarm", **rendered, "ring": ring})
            return
        payload = await database_sync_to_async(_payload)(user, alarm_id, self.language)
        if payload is not None:
            await self.send_json({"type": "alarm", **payload})
