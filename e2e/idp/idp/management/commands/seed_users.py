"""`manage.py seed_users USERS_JSON OUT_JSON`: creates the test users of USERS_JSON (username,
email, groups) with a fresh random password each, and writes OUT_JSON (mode 0600):
{username: {"password": …, "sub": …}} — `sub` is the id_token subject the provider will send
(django-oauth-toolkit uses the user's primary key)."""

import json
import os
import secrets

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the test users with random passwords."

    def add_arguments(self, parser):
        parser.add_argument("users_json")
        parser.add_argument("out_json")

    def handle(self, *args, **options):
        with open(options["users_json"]) as file:
            wanted = json.load(file)
        created = {}
        for entry in wanted:
            password = "idp-" + secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=entry["username"])
            user.email = entry["email"]
            user.set_password(password)
            user.save()
            user.groups.set(Group.objects.get_or_create(name=name)[0] for name in entry["groups"])
            created[user.username] = {"password": password, "sub": str(user.pk)}
        descriptor = os.open(options["out_json"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(created, file, indent=2)
        self.stdout.write(f"{len(created)} users: {', '.join(sorted(created))}")
