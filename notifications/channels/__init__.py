"""Outside channels (Telegram, SMS, Web Push, e-mail), each an adapter behind `base.Channel`.

Alarms (issue 16) and the case notifications (issue 17) send through them; each adapter reads its endpoint URL and
credentials from settings, talks to nothing else, and turns every failure (a timeout, a 5xx, a refusal) into a
failed `SendResult`, never an exception.
"""
