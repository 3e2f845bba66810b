/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * backups-test-display.c: what a display test needs beside gtk_init().
 *
 * GTK checks its own size negotiation and says "…reports a minimum width
 * of N, but minimum width for height of M is K. Expect overlapping
 * widgets." when a widget contradicts itself. The tests make that fatal
 * (G_DEBUG=fatal-warnings), but the message names only a pointer: this
 * writer adds which widget it is (its text, its wrapping, its ancestors
 * and what it measures now), so a rare failure in CI says where to look.
 */
#include "backups-test-display.h"

#include "backups-window.h"

#include <stdio.h>
#include <string.h>

static void
describe_widget (GtkWidget *widget)
{
  int for_sizes[] = { -1, 24, 1048576 };

  if (GTK_IS_LABEL (widget))
    g_printerr ("  label text: “%s”, wrap %d, wrap mode %d, natural wrap mode %d, "
                "width-chars %d, max-width-chars %d, ellipsize %d\n",
                gtk_label_get_text (GTK_LABEL (widget)), gtk_label_get_wrap (GTK_LABEL (widget)),
                gtk_label_get_wrap_mode (GTK_LABEL (widget)),
                gtk_label_get_natural_wrap_mode (GTK_LABEL (widget)),
                gtk_label_get_width_chars (GTK_LABEL (widget)),
                gtk_label_get_max_width_chars (GTK_LABEL (widget)),
                gtk_label_get_ellipsize (GTK_LABEL (widget)));
  for (guint i = 0; i < G_N_ELEMENTS (for_sizes); i++)
    {
      int minimum, natural;

      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, for_sizes[i], &minimum, &natural,
                          NULL, NULL);
      g_printerr ("  width for height %d: minimum %d, natural %d\n", for_sizes[i], minimum,
                  natural);
    }
  for (GtkWidget *up = widget; up != NULL; up = gtk_widget_get_parent (up))
    {
      const char *id
        = GTK_IS_BUILDABLE (up) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (up)) : NULL;

      g_printerr ("  in %s%s%s, %d x %d\n", G_OBJECT_TYPE_NAME (up), id != NULL ? " #" : "",
                  id != NULL ? id : "", gtk_widget_get_width (up), gtk_widget_get_height (up));
    }
}

static GLogWriterOutput
display_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  static gboolean describing;

  for (gsize i = 0; i < n_fields && !describing; i++)
    {
      const char *message = fields[i].value;
      const char *reports;
      gpointer    widget = NULL;

      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0 || fields[i].length != -1
          || strstr (message, "Expect overlapping widgets") == NULL)
        continue;
      reports = strstr (message, " reports a minimum");
      if (reports == NULL || sscanf (strchr (message, ' ') + 1, "%p", &widget) != 1
          || !GTK_IS_WIDGET (widget))
        continue;
      describing = TRUE;
      g_printerr ("GTK contradicted itself measuring %s %p:\n", G_OBJECT_TYPE_NAME (widget),
                  widget);
      describe_widget (widget);
      describing = FALSE;
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
backups_test_display_init (void)
{
  g_log_set_writer_func (display_writer, NULL, NULL);
}

void
backups_test_show_page (GtkWidget *window, const char *name)
{
  backups_window_show_page (BACKUPS_WINDOW (window), name);
}

void
backups_test_display_setup_env (void)
{
  g_setenv ("GSETTINGS_SCHEMA_DIR", BACKUPS_TEST_SCHEMA_DIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  /* GTK's test accessibility backend, with no bus: the tests read back
   * what assistive technology would get (GTK_A11Y=none has no context). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
}
