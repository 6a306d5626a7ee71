"""Kazakh date and number formats (Django ships none for kk): as written in Kazakhstan, the same as our Russian ones."""

from config.formats.ru.formats import *  # noqa: F403  (Django reads the names from this module)
