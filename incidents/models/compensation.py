"""Compensation and support of one victim: sick leave, disability, the civil claim and the help given."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Victim

# Amounts are whole tenge; a claim above a trillion is a typing error.
MAX_AMOUNT = 10**12


class Disability(models.TextChoices):
    NONE = "none", _("no disability")
    UNDER_ASSESSMENT = "under_assessment", _("being assessed")
    GROUP_3 = "group_3", _("disability group III")
    GROUP_2 = "group_2", _("disability group II")
    GROUP_1 = "group_1", _("disability group I")


class ClaimStatus(models.TextChoices):
    """The civil claim in the criminal case (CPC art. 166): filed, then decided by the court."""

    NOT_FILED = "not_filed", _("not filed")
    FILED = "filed", _("filed, awaiting the court")
    AWARDED = "awarded", _("awarded by the court")
    REJECTED = "rejected", _("rejected by the court")
    WITHDRAWN = "withdrawn", _("withdrawn")


class VictimCompensation(models.Model):
    """What a victim lost and was given: recorded by the police post, one row per victim."""

    victim = models.OneToOneField(
        Victim, on_delete=models.CASCADE, related_name="compensation", verbose_name=_("victim")
    )
    sick_leave_days = models.PositiveSmallIntegerField(
        _("sick-leave days"), null=True, blank=True, validators=[MaxValueValidator(3650)]
    )
    disability = models.CharField(_("disability"), max_length=32, choices=Disability.choices, default=Disability.NONE)
    lost_ability_to_work = models.BooleanField(_("can no longer work in the profession"), default=False)

    claim_status = models.CharField(
        _("civil claim"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.NOT_FILED, db_index=True
    )
    claim_filed_on = models.DateField(_("claim filed on"), null=True, blank=True)
    claimed_material = models.PositiveBigIntegerField(
        _("material damage claimed, ₸"), null=True, blank=True, validators=[MaxValueValidator(MAX_AMOUNT)]
    )
    claimed_moral = models.PositiveBigIntegerField(
        _("moral damage claimed, ₸"), null=True, blank=True, validators=[MaxValueValidator(MAX_AMOUNT)]
    )
    awarded_material = models.PositiveBigIntegerField(
        _("material damage awarded, ₸"), null=True, blank=True, validators=[MaxValueValidator(MAX_AMOUNT)]
    )
    awarded_moral = models.PositiveBigIntegerField(
        _("moral damage awarded, ₸"), null=True, blank=True, validators=[MaxValueValidator(MAX_AMOUNT)]
    )
    awarded_monthly = models.PositiveBigIntegerField(
        _("monthly payment awarded for lost earnings, ₸"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AMOUNT)],
    )
    paid = models.PositiveBigIntegerField(
        _("paid to the victim so far, ₸"), null=True, blank=True, validators=[MaxValueValidator(MAX_AMOUNT)]
    )

    psychologist = models.BooleanField(_("psychologist's help given"), default=False)
    legal_aid = models.BooleanField(_("legal aid given"), default=False)
    employer_paid = models.PositiveBigIntegerField(
        _("paid by the employer, ₸"), null=True, blank=True, validators=[MaxValueValidator(MAX_AMOUNT)]
    )
    support_notes = models.TextField(_("other support"), blank=True, max_length=4000)

    # Optimistic locking, as the case itself: two officers cannot overwrite each other's figures.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("victim's compensation and support")
        verbose_name_plural = _("victims' compensation and support")

    def __str__(self) -> str:
        return f"{self.victim_id} {self.claim_status}"

    @property
    def claimed_total(self) -> int | None:
        return _total(self.claimed_material, self.claimed_moral)

    @property
    def awarded_total(self) -> int | None:
        return _total(self.awarded_material, self.awarded_moral)

    @property
    def claim_filed(self) -> bool:
        return self.claim_status != ClaimStatus.NOT_FILED


def _total(*amounts: int | None) -> int | None:
    given = [amount for amount in amounts if amount is not None]
    return sum(given) if given else None
