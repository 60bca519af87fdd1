"""Queue back ends sharing :class:`~app.queue.drivers.base.QueueDriver`."""
