/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-schedules-page.c: the Schedules page over a live model, under Xvfb:
 * its opening order, sorting by every column, and cells that assistive
 * technology can read. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "backups-integrations-page.h"
#include "backups-query-model.h"
#include "backups-schedules-page.h"
#include "backups-staged-model.h"
#include "backups-store.h"
#include "backups-test-display.h"
#include "backups-text-cell.h"
#include "backups-test-util.h"

#define WAIT_MS 20000
/* More rows than the model announces at once. */
#define N_SITES 300
#define N_CLIENT_SITES 20
#define N_ROWS (2 * (N_SITES + N_CLIENT_SITES))

typedef struct
{
  BackupsStore         *store;
  BackupsQueryModel    *model;
  BackupsSchedulesPage *page;
  GtkWindow            *window;
} Fixture;

/* An account of the org with `n_sites` sites (two schedules each). */
static void
add_account (BackupsStore *store, BackupsOrg *org, const char *name, guint n_sites)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot (name, 7, n_sites, 5);

  account = backups_store_add_account (store, backups_org_get_id (org), "gridpane", name,
                                       "https://x.example/api", name, &error);
  g_assert_no_error (error);

  /* Upper-case sites among the others: the opening order ignores case. */
  for (guint i = 0; i < snapshot->schedules->len; i += 6)
    {
      BackupsScheduleRecord *record = g_ptr_array_index (snapshot->schedules, i);
      char                  *upper = g_ascii_strup (record->site_url, -1);

      g_free (record->site_url);
      record->site_url = upper;
    }
  g_assert_true (
    backups_store_apply_snapshot (store, backups_account_get_id (account), snapshot, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  org = backups_store_add_org (f->store, "Acme", &error);
  g_assert_no_error (error);
  /* Two accounts, so the Account column has something to sort. */
  add_account (f->store, org, "main", N_SITES);
  add_account (f->store, org, "client", N_CLIENT_SITES);

  f->model = backups_query_model_new (f->store, BACKUPS_QUERY_SCHEDULES);
  f->page = g_object_new (BACKUPS_TYPE_SCHEDULES_PAGE, NULL);
  backups_list_page_set_model (BACKUPS_LIST_PAGE (f->page), G_LIST_MODEL (f->model));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  backups_query_model_set_org_id (f->model, backups_org_get_id (org));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->model);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&f->store);
}

static gpointer
child (Fixture *f, const char *name)
{
  GObject *object
    = gtk_widget_get_template_child (GTK_WIDGET (f->page), BACKUPS_TYPE_SCHEDULES_PAGE, name);

  g_assert_nonnull (object);
  return object;
}

/* The rows the user sees. */
static GListModel *
shown_rows (Fixture *f)
{
  return child (f, "selection");
}

static gboolean
all_rows_shown (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (shown_rows (f)) == N_ROWS;
}

static gboolean
sorted (gpointer data)
{
  Fixture *f = data;

  GtkSortListModel *sort_model
    = GTK_SORT_LIST_MODEL (backups_staged_model_get_model (child (f, "staged_model")));

  return gtk_sort_list_model_get_pending (sort_model) == 0;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
wait_for_rows (Fixture *f)
{
  g_assert_true (backups_test_wait_until (all_rows_shown, f, WAIT_MS));
  /* A few frames, so the view has built and laid out its rows. */
  backups_test_wait_until (never, NULL, 200);
}

static void
test_opening_order (Fixture *f, gconstpointer data)
{
  GListModel *rows = shown_rows (f);
  GtkSorter  *sorter;

  wait_for_rows (f);

  /* No column sorts at first... */
  sorter = gtk_column_view_get_sorter (child (f, "column_view"));
  g_assert_cmpint (gtk_sorter_get_order (sorter), ==, GTK_SORTER_ORDER_NONE);

  /* ...yet the rows come by site, as the window always opened. */
  for (guint i = 1; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (BackupsSchedule) a = g_list_model_get_item (rows, i - 1);
      g_autoptr (BackupsSchedule) b = g_list_model_get_item (rows, i);

      g_assert_cmpint (
        g_ascii_strcasecmp (backups_schedule_get_site_url (a), backups_schedule_get_site_url (b)),
        <=, 0);
    }
}

static void
assert_ordered (GListModel *rows, GtkSorter *column_sorter, GtkSortType direction)
{
  guint n_different = 0;

  for (guint i = 1; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (GObject) a = g_list_model_get_item (rows, i - 1);
      g_autoptr (GObject) b = g_list_model_get_item (rows, i);
      GtkOrdering order = gtk_sorter_compare (column_sorter, a, b);

      if (direction == GTK_SORT_ASCENDING)
        g_assert_cmpint (order, <=, GTK_ORDERING_EQUAL);
      else
        g_assert_cmpint (order, >=, GTK_ORDERING_EQUAL);
      n_different += order != GTK_ORDERING_EQUAL;
    }
  /* The column has something to sort by in this fleet. */
  g_assert_cmpuint (n_different, >, 0);
}

static void
test_sort_by_every_column (Fixture *f, gconstpointer data)
{
  GtkColumnView *view = child (f, "column_view");
  GListModel    *columns = gtk_column_view_get_columns (view);

  wait_for_rows (f);
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 9);

  for (guint c = 0; c < g_list_model_get_n_items (columns); c++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, c);
      GtkSorter *column_sorter = gtk_column_view_column_get_sorter (column);

      g_assert_nonnull (column_sorter);
      for (GtkSortType direction = GTK_SORT_ASCENDING; direction <= GTK_SORT_DESCENDING;
           direction++)
        {
          gtk_column_view_sort_by_column (view, column, direction);
          g_assert_true (backups_test_wait_until (sorted, f, WAIT_MS));
          g_assert_cmpuint (g_list_model_get_n_items (shown_rows (f)), ==, N_ROWS);
          assert_ordered (shown_rows (f), column_sorter, direction);
        }
    }
}

static void
collect_cells (GtkWidget *widget, GPtrArray *cells)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), "cell") == 0)
    g_ptr_array_add (cells, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_cells (c, cells);
}

static void
test_cells_are_labelled (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) cells = g_ptr_array_new ();
  guint n_tooltips = 0;

  wait_for_rows (f);
  collect_cells (child (f, "column_view"), cells);
  /* Whole rows of nine cells, and at least a screenful of rows. */
  g_assert_cmpuint (cells->len % 9, ==, 0);
  g_assert_cmpuint (cells->len, >=, 9 * 12);

  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *label = gtk_widget_get_first_child (cells->pdata[i]);
      guint      column = i % 9;
      int        minimum, natural;

      /* A cell is a label to assistive technology, named by its text. */
      g_assert_true (BACKUPS_IS_TEXT_CELL (label));
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (label)), ==,
                       GTK_ACCESSIBLE_ROLE_LABEL);
      if (!gtk_widget_get_mapped (label))
        continue;
      g_assert_cmpstr (backups_text_cell_get_text (BACKUPS_TEXT_CELL (label)), !=, "");
      /* Its text takes room, and it can shrink to an ellipsis. */
      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      g_assert_cmpint (natural, >, 0);
      g_assert_cmpint (minimum, <, natural);
      gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
      g_assert_cmpint (minimum, >, 0);

      /* Frequency (the time on the server's clock, its zone), next run
       * (the time on the server) and retention (in full) explain
       * themselves on hover, and only they. */
      g_assert_cmpint (gtk_widget_get_has_tooltip (label), ==,
                       column == 4 || column == 5 || column == 7);
      if (gtk_widget_get_has_tooltip (label))
        {
          g_autoptr (GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
          gboolean shown = FALSE;

          g_signal_emit_by_name (label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
          g_assert_true (shown);
          n_tooltips++;
        }
    }
  g_assert_cmpuint (n_tooltips, >=, 3 * 12);
}

typedef struct
{
  guint n_changes;
  guint most_top_rows; /* changed in the view's first 200 rows by one emission */
} ChangeCount;

static void
count_change_cb (GListModel *rows, guint position, guint removed, guint added, ChangeCount *count)
{
  count->n_changes++;
  if (position < 200)
    count->most_top_rows
      = MAX (count->most_top_rows, MIN (removed, 200 - position) + MIN (added, 200 - position));
}

static gboolean
search_shown (gpointer data)
{
  Fixture            *f = data;
  BackupsStagedModel *staged = child (f, "staged_model");
  GListModel         *result = backups_staged_model_get_model (staged);
  GListModel         *rows = shown_rows (f);

  if (gtk_filter_list_model_get_pending (child (f, "filter_model")) != 0
      || backups_staged_model_get_pending (staged)
      || g_list_model_get_n_items (rows) != g_list_model_get_n_items (result))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (GObject) shown = g_list_model_get_item (rows, i);
      g_autoptr (GObject) expected = g_list_model_get_item (result, i);

      if (shown != expected)
        return FALSE;
    }
  return TRUE;
}

/* A search reaches the view a few rows at a time: no emission changes more
 * than a frame's worth of the rows the view builds widgets for, rows in
 * both results stay (a selected one stays selected), and in the end the
 * view shows exactly the filtered rows. */
static void
test_search_in_steps (Fixture *f, gconstpointer data)
{
  GtkSingleSelection *selection;
  ChangeCount         count = { 0 };
  gpointer            selected = NULL;

  wait_for_rows (f);
  selection = GTK_SINGLE_SELECTION (shown_rows (f));
  for (guint i = 0; i < 200 && selected == NULL; i++)
    {
      g_autoptr (BackupsSchedule) schedule = g_list_model_get_item (shown_rows (f), i);

      if (i > 0 && strstr (backups_schedule_get_site_url (schedule), ".client.") != NULL)
        {
          gtk_single_selection_set_selected (selection, i);
          selected = gtk_single_selection_get_selected_item (selection);
        }
    }
  g_assert_nonnull (selected);

  g_signal_connect (selection, "items-changed", G_CALLBACK (count_change_cb), &count);
  backups_list_page_set_search_text (BACKUPS_LIST_PAGE (f->page), "client");
  g_assert_true (backups_test_wait_until (search_shown, f, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (f)), ==, 2 * N_CLIENT_SITES);
  g_assert_cmpuint (count.n_changes, >, 2);
  g_assert_cmpuint (count.most_top_rows, <=, 24);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == selected);

  /* And back: every row, the new ones past the view's in one emission. */
  backups_list_page_set_search_text (BACKUPS_LIST_PAGE (f->page), NULL);
  g_assert_true (backups_test_wait_until (search_shown, f, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (f)), ==, N_ROWS);
  g_assert_cmpuint (count.most_top_rows, <=, 24);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == selected);
  g_signal_handlers_disconnect_by_func (selection, count_change_cb, &count);
}

/* The text of the cell in `column` of the row whose site is `site` and type
 * `type` ("Local"/"Remote"); NULL when not shown. */
static const char *
cell_text (GPtrArray *cells, const char *site, const char *type, guint column)
{
  for (guint row = 0; row + 9 <= cells->len; row += 9)
    {
      GtkWidget *site_label = gtk_widget_get_first_child (cells->pdata[row]);
      GtkWidget *type_label = gtk_widget_get_first_child (cells->pdata[row + 3]);
      GtkWidget *label = gtk_widget_get_first_child (cells->pdata[row + column]);

      if (g_strcmp0 (backups_text_cell_get_text (BACKUPS_TEXT_CELL (site_label)), site) != 0
          || g_strcmp0 (backups_text_cell_get_text (BACKUPS_TEXT_CELL (type_label)), type) != 0)
        continue;
      return backups_text_cell_get_text (BACKUPS_TEXT_CELL (label));
    }
  return NULL;
}

static gboolean
n_rows_shown (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (shown_rows (f)) == 4;
}

/* What GridPane sent that could not be read shows as such, in words: an
 * unknown time, an integration the account does not have, a server zone
 * that is not known (and the next run assuming UTC), a flag left out. */
static void
test_unknown_values (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("odd", 2, 2, 1);
  g_autoptr (BackupsQueryModel) model = NULL;
  g_autoptr (GPtrArray) cells = g_ptr_array_new ();
  BackupsScheduleRecord *timeless = g_ptr_array_index (snapshot->schedules, 1);
  BackupsScheduleRecord *dangling = g_ptr_array_index (snapshot->schedules, 3);
  BackupsServerRecord   *server = g_ptr_array_index (snapshot->servers, 0);
  BackupsSiteRecord     *site = g_ptr_array_index (snapshot->sites, 1);
  Fixture                f = { 0 };
  g_autofree char       *text = NULL;

  /* Site 0 (server 0, zone unknown): its remote daily schedule has no
   * time. Site 1 (server 1, New York): remote to a missing integration,
   * local flag unknown. */
  g_free (server->timezone);
  server->timezone = NULL;
  timeless->hour = timeless->minute = BACKUPS_NO_VALUE;
  timeless->problems = g_strdup ("schedule 156001: it has no hour; it has no minute");
  dangling->integration_id = 9999;
  site->local_bup = BACKUPS_FLAG_UNKNOWN;

  store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  org = backups_store_add_org (store, "Odd", &error);
  account = backups_store_add_account (store, backups_org_get_id (org), "gridpane", "A",
                                       "https://x.example/api", "a", &error);
  g_assert_true (
    backups_store_apply_snapshot (store, backups_account_get_id (account), snapshot, NULL, &error));

  model = backups_query_model_new (store, BACKUPS_QUERY_SCHEDULES);
  f.page = g_object_new (BACKUPS_TYPE_SCHEDULES_PAGE, NULL);
  backups_list_page_set_model (BACKUPS_LIST_PAGE (f.page), G_LIST_MODEL (model));
  f.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f.window, 1600, 500);
  gtk_window_set_child (f.window, GTK_WIDGET (f.page));
  gtk_window_present (f.window);
  backups_query_model_set_org_id (model, backups_org_get_id (org));
  g_assert_true (backups_test_wait_until (n_rows_shown, &f, WAIT_MS));
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  collect_cells (child (&f, "column_view"), cells);
  g_assert_cmpuint (cells->len, ==, 4 * 9);

  /* Site 0, local: weekly Sunday 05:00 on a server whose zone is unknown. */
  g_assert_true (
    g_str_has_suffix (cell_text (cells, "site0.odd.example.com", "Local", 5), "(UTC assumed)"));
  /* Site 0, remote: no time at all. */
  g_assert_cmpstr (cell_text (cells, "site0.odd.example.com", "Remote", 4), ==,
                   "Daily, time unknown");
  g_assert_cmpstr (cell_text (cells, "site0.odd.example.com", "Remote", 5), ==, "Unknown");
  /* Site 1, remote: an integration the account does not have. */
  g_assert_cmpstr (cell_text (cells, "site1.odd.example.com", "Remote", 6), ==,
                   "Unknown integration (id 9999)");
  g_assert_cmpstr (cell_text (cells, "site1.odd.example.com", "Local", 8), ==, "Unknown");
  /* Site 1 is on the New York server: no assumption. */
  text = g_strdup (cell_text (cells, "site1.odd.example.com", "Local", 5));
  g_assert_null (strstr (text, "UTC assumed"));
  g_assert_cmpstr (cell_text (cells, "site0.odd.example.com", "Local", 8), ==, "Enabled");

  gtk_window_destroy (f.window);
  g_clear_object (&model);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* What each list page brings to the base: the title of its empty state,
 * set by its template, and the base's role. */
static void
test_page_texts (void)
{
  GType       types[] = { BACKUPS_TYPE_SCHEDULES_PAGE, BACKUPS_TYPE_INTEGRATIONS_PAGE };
  const char *empty_titles[] = { "No Backup Schedules", "No Storage Integrations" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GtkWidget       *page = g_object_ref_sink (g_object_new (types[i], NULL));
      g_autofree char *empty_title = NULL;

      g_assert_true (BACKUPS_IS_LIST_PAGE (page));
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (page)), ==,
                       GTK_ACCESSIBLE_ROLE_GROUP);
      g_object_get (page, "empty-title", &empty_title, NULL);
      g_assert_cmpstr (empty_title, ==, empty_titles[i]);
      g_assert_null (backups_list_page_get_model (BACKUPS_LIST_PAGE (page)));
      g_assert_cmpuint (backups_list_page_get_n_shown (BACKUPS_LIST_PAGE (page)), ==, 0);

      g_assert_finalize_object (page);
    }
}

int
main (int argc, char *argv[])
{
  g_autofree char *schema_dir = NULL;
  g_autofree char *program_dir = g_path_get_dirname (argv[0]);

  /* libadwaita reads its style settings through GSettings, and the
   * isolated data dirs have no schemas: the build tree's, and no dconf. */
  if (g_getenv ("G_TEST_BUILDDIR") != NULL)
    schema_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "data", NULL);
  else
    schema_dir = g_build_filename (program_dir, "..", "data", NULL);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  /* Read the MIME database while the system data dirs are still the real
   * ones: GTK needs it to recognize its SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  /* gtk_test_init() would drop G_TEST_OPTION_ISOLATE_DIRS. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  backups_test_display_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/schedules-page/opening-order", test_opening_order);
  ADD ("/schedules-page/sort-by-every-column", test_sort_by_every_column);
  ADD ("/schedules-page/cells-are-labelled", test_cells_are_labelled);
  ADD ("/schedules-page/search-in-steps", test_search_in_steps);

#undef ADD

  g_test_add_func ("/schedules-page/unknown-values", test_unknown_values);
  g_test_add_func ("/schedules-page/page-texts", test_page_texts);

  return g_test_run ();
}
