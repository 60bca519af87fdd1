"""The storage battery: named disks (local folders, S3 buckets) behind one API, and uploads.

```python
await Storage.put("reports/today.txt", "hello")            # the default disk (FILESYSTEM_DISK)
await Storage.disk("s3").put_file("backups/db.gz", Path("db.gz"))   # streamed, multipart
url = await Storage.disk("s3").temporary_url("backups/db.gz", 300)
path = await data.avatar.store("avatars", disk="public")   # an UploadedFile from a form request
disk = Storage.fake("s3")                                  # in tests: a throwaway folder
await disk.assert_exists(path)
```
"""

from __future__ import annotations

from foundry.kernel.facades import facade
from foundry.storage.disk import Disk, FileSource, Visibility
from foundry.storage.errors import (
    FileNotFoundInStorageError,
    StorageError,
    UnknownDiskError,
    UnsafePathError,
)
from foundry.storage.local_disk import LocalDisk
from foundry.storage.manager import BUILT_IN_DRIVERS, DiskFactory, StorageManager
from foundry.storage.s3_disk import S3Disk
from foundry.storage.uploaded_file import UploadedFile

__all__ = [
    "BUILT_IN_DRIVERS",
    "Disk",
    "DiskFactory",
    "FileNotFoundInStorageError",
    "FileSource",
    "LocalDisk",
    "S3Disk",
    "Storage",
    "StorageError",
    "StorageManager",
    "UnknownDiskError",
    "UnsafePathError",
    "UploadedFile",
    "Visibility",
]

#: Laravel's ``Storage`` facade: the :class:`StorageManager` of the running application.
Storage: StorageManager = facade(StorageManager)
