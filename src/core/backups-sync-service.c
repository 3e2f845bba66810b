/* backups-sync-service.c: being written */
