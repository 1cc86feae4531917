"""The app's models, as Django looks for them: they are defined in budget.core.models."""

from budget.core.models import *  # noqa: F403
