"""`term`: a stored category name (a nature, a revenue source, a grade) in the reader's language."""

from django import template

from budget.core.terms import term

register = template.Library()
register.filter("term", term)
