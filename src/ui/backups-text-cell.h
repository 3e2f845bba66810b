/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-text-cell.h: the cells of the list pages' column views, built
 * in C: one widget each that draws its text as a single-line,
 * end-ellipsized label would (CSS name "label", accessible role label,
 * named by its text). A GtkBuilderListItemFactory parses its template for
 * every cell, and a GtkLabel keeps a layout and event controllers:
 * a search that changes the top rows builds up to 200 rows of nine
 * cells. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_TEXT_CELL (backups_text_cell_get_type ())

G_DECLARE_FINAL_TYPE (BackupsTextCell, backups_text_cell, BACKUPS, TEXT_CELL, GtkWidget)

/* The text shown, "" for none. */
const char *backups_text_cell_get_text (BackupsTextCell *self);

/* The text of a cell (or its tooltip) for `item`, newly allocated; NULL
 * for none. */
typedef char *(*BackupsCellTextFunc) (gpointer item);

/* Gives `column` cells that show `text` of their item aligned at
 * `xalign` (which names the cell to assistive technology by that text),
 * with `tooltip`, if not NULL, computed on hover. */
void backups_text_cell_set_column (GtkColumnViewColumn *column,
                                   BackupsCellTextFunc  text,
                                   BackupsCellTextFunc  tooltip,
                                   float                xalign);

G_END_DECLS
