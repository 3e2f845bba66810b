/* backups-error.c */
#include "backups-error.h"

G_DEFINE_QUARK (backups - error - quark, backups_error)
