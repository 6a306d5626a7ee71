"""Logs: one JSON object per line in production (structlog, through django-structlog), with the request id that
nginx gave the request, carried into the Celery tasks it queued; plain lines on a developer's console.

Logs carry no personal data: django-structlog's client address and user agent are left out, and the report and
case views keep their POST and variables out of error reports (common/sensitive.py).
"""

from typing import Any

import structlog
from structlog.typing import EventDict, WrappedLogger

# Libraries whose progress messages would bury ours: WeasyPrint says every font and every CSS rule it skips.
QUIET_LOGGERS = ("weasyprint", "fontTools", "fontTools.subset", "fontTools.ttLib")

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def drop_client_details(logger: WrappedLogger, method: str, event: EventDict) -> EventDict:
    """The client's address and browser are personal data: not in our logs (nginx keeps its own access log)."""
    event.pop("user_agent", None)
    event.pop("ip", None)
    return event


def configure_structlog() -> None:
    """structlog hands its events to the standard logging, which renders them with the formatter of LOGGING."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            drop_client_details,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


def logging_config(*, json: bool, level: str) -> dict[str, Any]:
    """The LOGGING setting: every record, Django's and Celery's too, with the request or task context bound."""
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    drop_client_details,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": _SHARED,
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {name: {"level": "ERROR"} for name in QUIET_LOGGERS},
    }
