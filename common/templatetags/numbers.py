"""`{% load numbers %}`: numbers written for people, by the same recipe as in Python (`common.numbers`)."""

from django import template

from common.numbers import group_digits

register = template.Library()


@register.filter(is_safe=True)
def grouped(value: object) -> object:
    """`{{ count|grouped }}`: an integer, or a string of one, by `group_digits`; anything else ("<3", "—") as is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return group_digits(value)
    if isinstance(value, str) and value.isascii() and value.removeprefix("-").isdigit():
        return group_digits(int(value))
    return value
