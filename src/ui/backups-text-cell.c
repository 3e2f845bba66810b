/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-text-cell.c
 *
 * A cell makes its PangoLayout when GTK measures it (GTK then caches the
 * sizes until the text or the style changes) and drops it once it has
 * drawn it (GTK keeps the render node until the cell changes). A GtkLabel
 * keeps its layout, its glyphs and event controllers for its life; 1,800
 * cells of them were most of the list's memory and of the time a row
 * takes to build.
 */
#include "config.h"

#include "backups-text-cell.h"

struct _BackupsTextCell
{
  GtkWidget parent_instance;

  char        *text;
  PangoLayout *layout; /* between a measure and the next snapshot */
  float        xalign;
};

G_DEFINE_FINAL_TYPE (BackupsTextCell, backups_text_cell, GTK_TYPE_WIDGET)

typedef struct
{
  BackupsCellTextFunc text;
  BackupsCellTextFunc tooltip;
  float               xalign;
} CellFuncs;

static PangoLayout *
get_layout (BackupsTextCell *self)
{
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
    }
  return self->layout;
}

/* As a single-line, end-ellipsized GtkLabel: at least the ellipsis wide,
 * at best the whole text; one line high. */
static void
backups_text_cell_measure (GtkWidget     *widget,
                           GtkOrientation orientation,
                           int            for_size,
                           int           *minimum,
                           int           *natural,
                           int           *minimum_baseline,
                           int           *natural_baseline)
{
  BackupsTextCell *self = BACKUPS_TEXT_CELL (widget);
  PangoLayout     *layout = get_layout (self);
  PangoRectangle   logical;

  pango_layout_set_width (layout, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *natural = logical.width;
      pango_layout_set_width (layout, 0);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      *minimum = MIN (logical.width, *natural);
    }
  else
    {
      *minimum = *natural = logical.height;
      *minimum_baseline = *natural_baseline = pango_layout_get_baseline (layout) / PANGO_SCALE;
    }
}

static void
backups_text_cell_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  BackupsTextCell *self = BACKUPS_TEXT_CELL (widget);
  PangoLayout    *layout;
  int            width = gtk_widget_get_width (widget);
  int            height = gtk_widget_get_height (widget);
  float          xalign = self->xalign;
  PangoRectangle logical;

  if (self->text == NULL || *self->text == '\0' || width <= 0)
    {
      g_clear_object (&self->layout);
      return;
    }

  layout = get_layout (self);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.0f - xalign;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_snapshot_render_layout (snapshot, gtk_widget_get_style_context (widget),
                              floorf (xalign * MAX (width - logical.width, 0)) - logical.x,
                              floorf (0.5f * MAX (height - logical.height, 0)), layout);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_clear_object (&self->layout);
}

static void
backups_text_cell_finalize (GObject *object)
{
  BackupsTextCell *self = BACKUPS_TEXT_CELL (object);

  g_free (self->text);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (backups_text_cell_parent_class)->finalize (object);
}

static void
backups_text_cell_class_init (BackupsTextCellClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = backups_text_cell_finalize;
  widget_class->measure = backups_text_cell_measure;
  widget_class->snapshot = backups_text_cell_snapshot;

  /* Styled and announced as a label. */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
backups_text_cell_init (BackupsTextCell *self)
{
}

const char *
backups_text_cell_get_text (BackupsTextCell *self)
{
  g_return_val_if_fail (BACKUPS_IS_TEXT_CELL (self), NULL);

  return self->text != NULL ? self->text : "";
}

/* Takes `text`. */
static void
set_text (BackupsTextCell *self, char *text)
{
  if (g_strcmp0 (self->text, text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->text);
  self->text = text;
  g_clear_object (&self->layout);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  backups_text_cell_get_text (self), -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static gboolean
query_tooltip_cb (GtkWidget   *cell,
                  int          x,
                  int          y,
                  gboolean     keyboard,
                  GtkTooltip  *tooltip,
                  GtkListItem *list_item)
{
  const CellFuncs *funcs = g_object_get_data (G_OBJECT (cell), "backups-cell-funcs");
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
  BackupsTextCell *cell = g_object_new (BACKUPS_TYPE_TEXT_CELL, NULL);

  cell->xalign = funcs->xalign;
  if (funcs->tooltip != NULL)
    {
      /* The list item owns the cell, so it outlives the handler. */
      g_object_set_data (G_OBJECT (cell), "backups-cell-funcs", (gpointer)funcs);
      gtk_widget_set_has_tooltip (GTK_WIDGET (cell), TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (query_tooltip_cb), list_item);
    }
  gtk_list_item_set_child (list_item, GTK_WIDGET (cell));
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, const CellFuncs *funcs)
{
  set_text (BACKUPS_TEXT_CELL (gtk_list_item_get_child (list_item)),
            funcs->text (gtk_list_item_get_item (list_item)));
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
