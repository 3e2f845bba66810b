/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-text-cell.h: the cells of the list pages' column views, one
 * ellipsized label each, built in C. A GtkBuilderListItemFactory parses
 * its template for every cell: a search that changes the top rows builds
 * up to 200 rows of them, and the labels here cost a fraction of that. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The text of a cell (or its tooltip) for `item`, newly allocated; NULL
 * for none. */
typedef char *(*BackupsCellTextFunc) (gpointer item);

/* Gives `column` cells that show `text` of their item in a label aligned
 * at `xalign` (which names the cell to assistive technology by that
 * text), with `tooltip`, if not NULL, computed on hover. */
void backups_text_cell_set_column (GtkColumnViewColumn *column,
                                   BackupsCellTextFunc  text,
                                   BackupsCellTextFunc  tooltip,
                                   float                xalign);

G_END_DECLS
