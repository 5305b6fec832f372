"""Authentication backends: Django's own for sign-in and the admin, with the service's permissions left to rules."""

import rules
from django.contrib.auth.backends import ModelBackend


class RulesFirstModelBackend(ModelBackend):
    """Django's ModelBackend, except that it does not answer for a permission that ``cases/rules.py`` defines.

    The rules decide every permission the service checks (DECISIONS.md D-17). Some of their names match Django's own
    model permissions (``cases.view_prison``, ``cases.view_prisoner``), so without this a permission granted in the
    Django admin could stand in for a role; and each denied check would load the user's model permissions from the
    database (two queries a request). Superusers keep Django's all-permissions behaviour.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if rules.perm_exists(perm) and not user_obj.is_superuser:
            return False
        return super().has_perm(user_obj, perm, obj)
