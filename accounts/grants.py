"""Who may grant a role or a membership (issue 10): the one rule, read by every form that grants one.

- Nobody grants themselves anything: not a role, not a facility, post or police department membership.
- The roles and memberships that open cases (police officer, facility lead, a police post or district police
  department, the lead of a facility) are granted by a superuser only. An administrator who could grant them
  could make a colleague, or an account they hold, read any post's cases.
- Taking over an account that holds them (its password or its e-mail, where a reset is sent) is the same grant.

Every grant is recorded by django-auditlog (settings `AUDITLOG_INCLUDE_TRACKING_MODELS`), visible in admin.
"""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User

# The roles whose holders read cases.
CASE_ROLES = frozenset({Role.POLICE_OFFICER.value, Role.FACILITY_LEAD.value})

SELF_GRANT = _("Nobody may grant themselves a role or a membership: another administrator must do it.")
SUPERUSER_ONLY = _(
    "Only a superuser can grant the police officer or facility lead role, a police post, a police department "
    "or the lead of a facility."
)
ACCOUNT_OF_A_CASE_ROLE = _(
    "Only a superuser can change the password or the e-mail of a police officer or a facility lead."
)


def grant_refusal(*, granter: User, grantee_id: int | None, opens_cases: bool) -> str | None:
    """Why `granter` may not grant this to the user `grantee_id` (None: a user not yet saved), or None."""
    if grantee_id is not None and grantee_id == granter.pk:
        return str(SELF_GRANT)
    if opens_cases and not granter.is_superuser:
        return str(SUPERUSER_ONLY)
    return None


def role_grant_refusal(*, granter: User, grantee_id: int | None, added_roles: Iterable[str]) -> str | None:
    added = set(added_roles)
    if not added:
        return None
    return grant_refusal(granter=granter, grantee_id=grantee_id, opens_cases=bool(added & CASE_ROLES))


def holds_a_case_role(user: User) -> bool:
    """Whether the user reads cases by a role or a membership (so their account is a superuser's to hand over)."""
    if user.pk is None:
        return False
    return (
        bool(set(user.groups.values_list("name", flat=True)) & CASE_ROLES)
        or user.post_assignments.exists()
        or user.department_assignments.exists()
        or user.facility_memberships.filter(is_lead=True).exists()
    )
