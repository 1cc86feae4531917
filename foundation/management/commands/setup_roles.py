from django.core.management.base import BaseCommand

from foundation.roles import sync_roles


class Command(BaseCommand):
    help = "Create or update the role groups (재무담당, 재무책임, 관리자, 감사) and their permissions."

    def handle(self, *args, **options):
        groups = sync_roles()
        self.stdout.write(f"roles: {', '.join(groups)}")
