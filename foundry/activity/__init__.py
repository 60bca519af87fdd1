"""The activity log: who did what to which record (spatie/laravel-activitylog)."""
