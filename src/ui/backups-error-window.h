/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-error-window.h: a window that tells why Backups could not start
 * (libadwaita 1.2 has AdwMessageDialog, but there is no window yet to put
 * it over): a status page with a heading, the error's sentence and a Close
 * button. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_ERROR_WINDOW (backups_error_window_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsErrorWindow, backups_error_window, BACKUPS, ERROR_WINDOW, AdwApplicationWindow)

/* `application` may be NULL (tests). */
BackupsErrorWindow *
backups_error_window_new (GtkApplication *application, const char *heading, const char *message);

G_END_DECLS
