"""The notifications' row locks (town-wide order: core/locking.py; notifications come after org's rows).

Within notifications: deliveries, by id. A delivery's send is claimed by a conditional UPDATE, not a lock
(`services.delivery_claim`); only putting failed deliveries back takes row locks.
"""

from core.locking import rows_locked
from notifications.models import Delivery, DeliveryStatus


def failed_deliveries_lock(delivery_ids: list[int]) -> list[int]:
    """The ids among `delivery_ids` of the deliveries that failed, their rows locked FOR UPDATE by id."""
    return [
        delivery.pk
        for delivery in rows_locked(
            Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.FAILED).only("id")
        )
    ]
