/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void backups_test_display_init (void);

/* Before g_test_init(): the build tree's GSettings schemas (the isolated
 * data dirs have none, and libadwaita reads its style from GSettings), a
 * memory backend, GTK's test accessibility backend (no bus), and the MIME
 * database read while
 * the system data dirs are still the real ones (GTK needs it to recognize
 * its SVG icons). */
void backups_test_display_setup_env (void);

/* Shows the window's page `name` ("sites", "schedules", "integrations"):
 * the window opens on Sites, and a hidden page gives its view no rows. */
void backups_test_show_page (GtkWidget *window, const char *name);

G_END_DECLS
