"""What a worker does once, after loading the app and before its first request.

Every page and view module is imported (Django would otherwise import them on the first request), then
everything loaded so far is moved out of the garbage collector's reach (gc.freeze). Those ~190,000
objects live as long as the process; without this, each full collection walks them all again, and a
page that builds tens of thousands of objects (a dashboard over a year of 10,000 lines) triggers
several: a quarter of that page's time on the benchmark database.
"""

import gc

from django.urls import get_resolver


def warm() -> None:
    get_resolver().url_patterns  # noqa: B018 (imports every URLconf and the views it names)
    gc.collect()
    gc.freeze()
