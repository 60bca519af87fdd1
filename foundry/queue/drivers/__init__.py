"""Queue back ends sharing :class:`~foundry.queue.drivers.base.QueueDriver`."""
