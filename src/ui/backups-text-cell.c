/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-text-cell.c */
#include "config.h"

#include "backups-text-cell.h"

typedef struct
{
  BackupsCellTextFunc text;
  BackupsCellTextFunc tooltip;
  float               xalign;
} CellFuncs;

static gboolean
query_tooltip_cb (
  GtkWidget *label, int x, int y, gboolean keyboard, GtkTooltip *tooltip, GtkListItem *list_item)
{
  const CellFuncs *funcs = g_object_get_data (G_OBJECT (label), "backups-cell-funcs");
  gpointer         item = gtk_list_item_get_item (list_item);
  g_autofree char *text = NULL;

  if (item == NULL)
    return FALSE;
  text = funcs->tooltip (item);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, const CellFuncs *funcs)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), funcs->xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (funcs->tooltip != NULL)
    {
      /* The list item owns the label, so it outlives the handler. */
      g_object_set_data (G_OBJECT (label), "backups-cell-funcs", (gpointer)funcs);
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (query_tooltip_cb), list_item);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, const CellFuncs *funcs)
{
  g_autofree char *text = funcs->text (gtk_list_item_get_item (list_item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text ? text : "");
}

void
backups_text_cell_set_column (GtkColumnViewColumn *column,
                              BackupsCellTextFunc  text,
                              BackupsCellTextFunc  tooltip,
                              float                xalign)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  CellFuncs *funcs = g_new0 (CellFuncs, 1);

  g_return_if_fail (GTK_IS_COLUMN_VIEW_COLUMN (column));
  g_return_if_fail (text != NULL);

  funcs->text = text;
  funcs->tooltip = tooltip;
  funcs->xalign = xalign;
  /* The factory holds the functions; each handler of it takes them. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), funcs);
  g_signal_connect_data (factory, "bind", G_CALLBACK (bind_cb), funcs, (GClosureNotify)g_free, 0);
  gtk_column_view_column_set_factory (column, factory);
}
