"""Flag overdue cases and tell their post and facility lead: what the beat task does, by hand or from cron."""

from django.core.management.base import BaseCommand

from incidents.services.cases import case_overdue_notify


class Command(BaseCommand):
    help = "Flag cases past their status time limit (once per overdue state) and notify by e-mail."

    def handle(self, *args, **options):
        self.stdout.write(f"{case_overdue_notify()} case(s) flagged overdue")
