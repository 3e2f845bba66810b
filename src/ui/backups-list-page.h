/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-list-page.h: what the Sites, Schedules and Integrations pages share: a
 * spinner, an empty state or a sortable, searchable column view over a
 * live query model. Each subclass brings its own template, its columns
 * and what its search matches. */
#pragma once

#include <gtk/gtk.h>

#include "backups-query-model.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_LIST_PAGE (backups_list_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (BackupsListPage, backups_list_page, BACKUPS, LIST_PAGE, GtkWidget)

struct _BackupsListPageClass
{
  GtkWidgetClass parent_class;

  /* Whether `item` matches `needle`, a needle from
   * backups_search_needle_new(). */
  gboolean (*matches) (gpointer item, const char *needle);
  /* Optional: whether `item` is shown at all, before any search (the
   * Sites page's health toggles). backups_list_page_refilter() says when
   * its answer changes. */
  gboolean (*keeps) (BackupsListPage *self, gpointer item);
};

/* Sets a subclass's template and binds the children every list page's
 * template has: "stack" (pages "loading", "empty", "list"), "spinner",
 * "empty_title", "empty_description", "empty_button", "empty_add_button",
 * "column_view", "selection", "staged_model" (a BackupsStagedModel over
 * the sort model), "filter_model" and "search_filter". */
void backups_list_page_class_set_template_from_resource (GtkWidgetClass *widget_class,
                                                         const char     *resource_name);

/* The text of a column of `item`, for backups_list_page_sort_by_text(). */
typedef const char *(*BackupsItemTextFunc) (gpointer item);

/* Sorts `sorter`'s column by the text `get_text` returns, compared in
 * place with backups_compare_text(): without the collation keys a string
 * sorter would build for every row. */
void backups_list_page_sort_by_text (GtkCustomSorter *sorter, BackupsItemTextFunc get_text);

/* A live model of the page's items that says "loading" (a boolean
 * property) while it has no result yet: a BackupsQueryModel or a
 * BackupsSitesModel. */
GListModel *backups_list_page_get_model (BackupsListPage *self);
void        backups_list_page_set_model (BackupsListPage *self, GListModel *model);
void               backups_list_page_set_search_text (BackupsListPage *self, const char *text);
/* What the empty state suggests: `org_name` NULL when there is no
 * organization at all. */
void
backups_list_page_set_context (BackupsListPage *self, const char *org_name, gboolean has_accounts);
/* Runs `keeps` again over every row: `change` says whether the rows it
 * keeps can only grow (GTK_FILTER_CHANGE_LESS_STRICT), only shrink
 * (…_MORE_STRICT) or either; `keeping` whether it may now leave any row
 * out (FALSE: the page shows every row without asking it). */
void backups_list_page_refilter (BackupsListPage *self, gboolean keeping, GtkFilterChange change);
/* While TRUE the page shows its loading state whatever its model says:
 * the window gives a hidden page's model its organization only after the
 * shown page has its rows. */
void backups_list_page_set_waiting (BackupsListPage *self, gboolean waiting);
/* Rows shown after the search filter. */
guint backups_list_page_get_n_shown (BackupsListPage *self);

G_END_DECLS
