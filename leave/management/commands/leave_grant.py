"""`manage.py leave_grant [--year YYYY]`: the annual leave grant (年次休暇の付与) now, as the nightly job does it."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from leave import services


class Command(BaseCommand):
    help = "Grant annual leave (年次休暇の付与) for a year (default: this leave year); safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year=None, **options):
        granted = services.annual_grants_run(year=year)
        self.stdout.write(_("年次休暇を付与しました: %(count)s 人") % {"count": granted})
