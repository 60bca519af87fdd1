"""The queue dashboard (Laravel Horizon's job): pages served by the app at ``/queue``.

Mount it with :func:`foundry.dashboard.routes.queue_dashboard` in a route file and list
:class:`foundry.dashboard.provider.QueueDashboardServiceProvider` in ``config/app.py``. Who may
see it is the ``view-queue-dashboard`` gate (:mod:`foundry.dashboard.access`).
"""

from __future__ import annotations

from foundry.config.queue_dashboard import QueueDashboardSettings
from foundry.dashboard.access import ABILITY, PERMISSION

__all__ = ["ABILITY", "PERMISSION", "QueueDashboardSettings"]
