"""manage.py snapshot_adoption: the nightly adoption snapshot, now (or for the months or fiscal year named)."""

import re

from django.core.management.base import BaseCommand, CommandError

from org.calendar import fiscal_months
from rollout.services import adoption_snapshot
from rollout.tasks import snapshot_adoption_nightly

MONTH = re.compile(r"(\d{4})-(\d{2})")


class Command(BaseCommand):
    help = (
        "テレワーク導入状況の月次スナップショットを作成します (default: the previous and the current month)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", action="append", default=[], help="YYYY-MM; may be repeated")
        parser.add_argument("--fiscal-year", type=int, help="every month of a fiscal year (e.g. 2026)")

    def handle(self, *args, **options):
        months = []
        for value in options["month"]:
            match = MONTH.fullmatch(value)
            if not match or not 1 <= int(match[2]) <= 12:
                raise CommandError(f"--month must be YYYY-MM: {value}")
            months.append((int(match[1]), int(match[2])))
        if options["fiscal_year"]:
            months.extend(fiscal_months(options["fiscal_year"]))
        if months:
            written = sum(adoption_snapshot(year=year, month=month) for year, month in months)
        else:
            written = snapshot_adoption_nightly()
        self.stdout.write(f"{written} snapshot rows written")
