/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-error.c */
#include "backups-error.h"

/* clang-format would put spaces into the quark's name. */
/* clang-format off */
G_DEFINE_QUARK (backups-error-quark, backups_error)
/* clang-format on */
