"""Register and manage API clients from the command line (the same services as the service admin pages).

    manage.py api_client register --name "nDelius" --scope read_handovers --scope read_allocations [--prison LEI]
    manage.py api_client list
    manage.py api_client rotate <client_id>
    manage.py api_client deactivate <client_id>   (or: activate)

A new or rotated secret is printed once; only its digest is stored.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.client_selectors import api_client_list
from api.client_services import api_client_register, api_client_rotate_secret, api_client_set_active
from api.models import ApiClient
from api.scopes import SCOPES
from cases.models import Prison

LABEL = "api_client command"


class Command(BaseCommand):
    help = "Register, list, rotate the secret of, deactivate or activate API clients."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        register = sub.add_parser("register", help="Register a client and print its id and secret.")
        register.add_argument("--name", required=True)
        register.add_argument("--scope", action="append", default=[], choices=list(SCOPES), dest="scopes")
        register.add_argument("--prison", action="append", default=[], dest="prisons", help="A prison code.")
        register.add_argument("--rate", type=int, default=1200, help="Requests a minute (default 1200).")
        sub.add_parser("list", help="List the clients.")
        for name in ("rotate", "deactivate", "activate"):
            sub.add_parser(name).add_argument("client_id")

    def handle(self, *args, action, **options):
        if action == "register":
            codes = options["prisons"]
            prisons = list(Prison.objects.filter(code__in=codes))
            missing = sorted(set(codes) - {p.code for p in prisons})
            if missing:
                raise CommandError(f"--prison: no prison with code {', '.join(missing)}")
            try:
                client, secret = api_client_register(
                    name=options["name"], scopes=options["scopes"], prisons=prisons,
                    rate_limit_per_minute=options["rate"], actor_label=LABEL,
                )  # fmt: skip
            except ValidationError as error:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
            self.stdout.write(f"client_id={client.client_id}\nclient_secret={secret}")
            return
        if action == "list":
            for client in api_client_list():
                prisons = ",".join(p.code for p in client.prisons.all()) or "all"
                state = "active" if client.is_active else "deactivated"
                self.stdout.write(f"{client.client_id}  {client.name}  [{' '.join(client.scopes)}]  {prisons}  {state}")
            return
        client = ApiClient.objects.filter(client_id=options["client_id"]).first()
        if client is None:
            raise CommandError(f"No client with id {options['client_id']}")
        if action == "rotate":
            secret = api_client_rotate_secret(client=client, actor_label=LABEL)
            self.stdout.write(f"client_id={client.client_id}\nclient_secret={secret}")
        else:
            api_client_set_active(client=client, active=action == "activate", actor_label=LABEL)
            self.stdout.write(f"{client.name} {action}d")
