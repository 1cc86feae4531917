#!/usr/bin/env python
"""Create the load run's accounts: lt-finance-01.. (재무담당) and lt-manager-01.. (관리자), one password for all.

Run against the load database (DATABASE_URL), after migrate and loaddata; loadtest/run does both.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402

from foundation.roles import sync_roles  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--finance", type=int, default=10)
    parser.add_argument(
        "--password", default=os.environ.get("LOAD_PASSWORD"), required="LOAD_PASSWORD" not in os.environ
    )
    args, _load_options = parser.parse_known_args(argv)  # loadtest/run passes load.py's options along
    # One hash for every account: hashing fifty passwords would take most of a minute.
    password = make_password(args.password)
    names = [f"lt-finance-{i:02d}" for i in range(1, args.finance + 1)]
    names += [f"lt-manager-{i:02d}" for i in range(1, args.users - args.finance + 1)]
    with transaction.atomic():
        groups = sync_roles()
        User = get_user_model()
        for name in names:
            user, _created = User.objects.update_or_create(username=name, defaults={"password": password})
            user.groups.set([groups["재무담당" if name.startswith("lt-finance") else "관리자"]])
    print(f"{len(names)} accounts: {names[0]} .. {names[-1]}")


if __name__ == "__main__":
    main()
