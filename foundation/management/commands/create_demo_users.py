import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from foundation.models import OrgUnit, StaffProfile
from foundation.roles import DEMO_ACCOUNTS, sync_roles


class Command(BaseCommand):
    help = "Create one demo account per role with a fresh random password, and print the passwords."

    @transaction.atomic
    def handle(self, *args, **options):
        groups = sync_roles()
        User = get_user_model()
        self.stdout.write("demo accounts (username / password / role):")
        units = {unit.name: unit for unit in OrgUnit.objects.all()}
        for username, role, full_name, unit in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = full_name
            user.is_staff = user.is_superuser = role is None
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
            user.groups.set([groups[role]] if role else [])
            if unit in units:
                StaffProfile.objects.update_or_create(user=user, defaults={"unit": units[unit]})
            self.stdout.write(f"  {username:<13} {password:<14} {role or 'admin'}")
