"""Job chains (Laravel's ``Bus::chain``): jobs that run in order, each only once the one before
succeeded; a failure stops the chain and queues its ``catch`` callbacks once.

```python
from foundry.queue import chain

chain_id = await chain([ExtractDataJob(), TransformDataJob(), LoadDataJob()]) \\
    .name("ETL Pipeline").catch(report_etl_failure).dispatch()
```

The links still to run travel in the running link's signed payload (:mod:`.state`); the queue
provider registers :class:`ChainHook`, which pushes the next link when one succeeds. A link may
be a batch (``chain([a, batch([...]), b])``): see :mod:`.nested`.
"""

from __future__ import annotations

from foundry.queue.chaining.callbacks import CatchCallback, ChainCatchCall
from foundry.queue.chaining.chainable import ChainableJob, ChainChanges
from foundry.queue.chaining.hook import ChainHook
from foundry.queue.chaining.nested import ChainLinkSource, NestedLink
from foundry.queue.chaining.pending import PendingChain, chain
from foundry.queue.chaining.state import ChainFailure, ChainState

__all__ = [
    "CatchCallback",
    "ChainCatchCall",
    "ChainChanges",
    "ChainFailure",
    "ChainHook",
    "ChainLinkSource",
    "ChainState",
    "ChainableJob",
    "NestedLink",
    "PendingChain",
    "chain",
]
