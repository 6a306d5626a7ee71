"""Point the Celery app at another broker for a test, and back, dropping pooled connections both ways."""

from contextlib import contextmanager

from django.conf import settings


def reset_celery_connections(app) -> None:
    # Producers and connections are pooled per broker URL; a changed URL needs the app to look them up again.
    # (Closing them would break kombu's global pools, which other tests reuse.)
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str, *, eager: bool = False):
    from config.celery_app import app

    app.conf.update(broker_url=url, task_always_eager=eager)
    reset_celery_connections(app)
    try:
        yield app
    finally:
        app.conf.update(broker_url=settings.CELERY_BROKER_URL, task_always_eager=True)
        reset_celery_connections(app)
