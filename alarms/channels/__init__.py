"""Outside channels an alarm goes through (Telegram, SMS, Web Push, e-mail), each an adapter behind `base.Channel`."""
