"""What every page's layout needs beyond Django's own context processors."""

from django.conf import settings


def synthetic_years(request):
    """The years of synthetic demo data this database holds, for the banner that says so on every page."""
    return {"synthetic_years": settings.SYNTHETIC_YEARS}
