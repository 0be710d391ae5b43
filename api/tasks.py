"""Periodic clean-up of the API's HTTP-level state (beat entry `api-purge`)."""

from celery import shared_task

from api.core.idempotency import purge_expired_idempotency_records


@shared_task(ignore_result=True)
def purge_expired() -> dict:
    """Deletes idempotency records older than 24 h; safe to run twice."""
    return {"idempotency_records": purge_expired_idempotency_records()}
