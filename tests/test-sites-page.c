/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sites-page.c: the Sites page over a live sites model, under Xvfb:
 * worst first, a summary whose counts are the model's and whose toggles
 * filter the list, health as a word (and a symbol) that assistive
 * technology reads with its findings, and the details panel. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "backups-sites-model.h"
#include "backups-sites-page.h"
#include "backups-store.h"
#include "backups-test-display.h"
#include "backups-test-util.h"

#define WAIT_MS 20000
#define N_SITES 60

typedef struct
{
  BackupsStore      *store;
  BackupsSitesModel *model;
  BackupsSitesPage  *page;
  GtkWindow         *window;
  guint              n_sites;
} Fixture;

/* Sites of every health: the generated ones are protected, every fifth
 * has no remote backup (at risk); sites without any schedule are
 * unprotected; a site whose flag GridPane left out is unknown. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 3, N_SITES, 3);
  BackupsSiteRecord *unknown = g_ptr_array_index (snapshot->sites, 1);

  /* Sites 2 and 3 lose their schedules. */
  for (guint i = snapshot->schedules->len; i-- > 0;)
    {
      BackupsScheduleRecord *schedule = g_ptr_array_index (snapshot->schedules, i);

      if (schedule->site_remote_id == 869002 || schedule->site_remote_id == 869003)
        g_ptr_array_remove_index (snapshot->schedules, i);
    }
  unknown->local_bup = BACKUPS_FLAG_UNKNOWN;

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  org = backups_store_add_org (f->store, "Acme", &error);
  account = backups_store_add_account (f->store, backups_org_get_id (org), "gridpane", "Main",
                                       "https://x.example/api", "secret", &error);
  g_assert_no_error (error);
  g_assert_true (backups_store_apply_snapshot (f->store, backups_account_get_id (account),
                                               snapshot, NULL, &error));
  g_assert_no_error (error);
  f->n_sites = N_SITES;

  f->model = backups_sites_model_new (f->store);
  /* The generated sites of a server all start at 05:00: no crowded-start
   * finding here, so that some are protected. */
  {
    g_autoptr (BackupsPolicy) policy = backups_policy_new (TRUE, 30, 24, 0);

    backups_sites_model_set_policy (f->model, policy);
  }
  f->page = g_object_new (BACKUPS_TYPE_SITES_PAGE, NULL);
  backups_sites_page_set_sites_model (f->page, f->model);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1300, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  backups_sites_model_set_org_id (f->model, backups_org_get_id (org));
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
    = gtk_widget_get_template_child (GTK_WIDGET (f->page), BACKUPS_TYPE_SITES_PAGE, name);

  g_assert_nonnull (object);
  return object;
}

/* The rows the user sees. */
static GListModel *
shown_rows (Fixture *f)
{
  return child (f, "selection");
}

typedef struct
{
  Fixture *f;
  guint    n;
} RowsWait;

static gboolean
rows_shown (gpointer data)
{
  RowsWait *wait = data;

  return g_list_model_get_n_items (shown_rows (wait->f)) == wait->n;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
wait_for_rows (Fixture *f, guint n)
{
  RowsWait wait = { f, n };

  if (!backups_test_wait_until (rows_shown, &wait, WAIT_MS))
    g_error ("The page shows %u rows, not %u", g_list_model_get_n_items (shown_rows (f)), n);
  /* A few frames, so the view has built and laid out its rows. */
  backups_test_wait_until (never, NULL, 200);
}

static BackupsHealth
health_at (Fixture *f, guint position)
{
  g_autoptr (BackupsSite) site = g_list_model_get_item (shown_rows (f), position);

  return backups_site_get_health (site);
}

/* Worst first, and the summary says the model's counts. */
static void
test_order_and_summary (Fixture *f, gconstpointer data)
{
  guint            n[BACKUPS_N_HEALTHS];
  g_autofree char *protected_text = NULL;
  g_autofree char *at_risk_text = NULL;
  g_autofree char *total_text = g_strdup_printf ("%u sites", f->n_sites);

  wait_for_rows (f, f->n_sites);

  for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
    n[h] = backups_sites_model_get_n_health (f->model, h);
  g_assert_cmpuint (n[BACKUPS_HEALTH_UNPROTECTED], ==, 2);
  g_assert_cmpuint (n[BACKUPS_HEALTH_UNKNOWN], ==, 1);
  g_assert_cmpuint (n[BACKUPS_HEALTH_AT_RISK], >, 0);
  g_assert_cmpuint (n[BACKUPS_HEALTH_PROTECTED], >, 0);

  g_assert_cmpint (health_at (f, 0), ==, BACKUPS_HEALTH_UNPROTECTED);
  g_assert_cmpint (health_at (f, 1), ==, BACKUPS_HEALTH_UNPROTECTED);
  g_assert_cmpint (health_at (f, 2), ==, BACKUPS_HEALTH_UNKNOWN);
  g_assert_cmpint (health_at (f, 3), ==, BACKUPS_HEALTH_AT_RISK);
  g_assert_cmpint (health_at (f, f->n_sites - 1), ==, BACKUPS_HEALTH_PROTECTED);
  for (guint i = 1; i < f->n_sites; i++)
    g_assert_cmpint (health_at (f, i - 1), <=, health_at (f, i));

  g_assert_cmpstr (gtk_label_get_label (child (f, "summary_label")), ==, total_text);
  protected_text = g_strdup_printf ("· %u protected", n[BACKUPS_HEALTH_PROTECTED]);
  at_risk_text = g_strdup_printf ("· %u at risk", n[BACKUPS_HEALTH_AT_RISK]);
  g_assert_cmpstr (gtk_button_get_label (child (f, "protected_toggle")), ==, protected_text);
  g_assert_cmpstr (gtk_button_get_label (child (f, "at_risk_toggle")), ==, at_risk_text);
  g_assert_cmpstr (gtk_button_get_label (child (f, "unprotected_toggle")), ==,
                   "· 2 unprotected");
  g_assert_true (gtk_widget_get_visible (child (f, "unknown_toggle")));
}

/* Each count is a toggle: on, only its sites show; two on, both kinds;
 * none on, every site. */
static void
test_toggles_filter (Fixture *f, gconstpointer data)
{
  guint n_at_risk;

  wait_for_rows (f, f->n_sites);
  n_at_risk = backups_sites_model_get_n_health (f->model, BACKUPS_HEALTH_AT_RISK);

  gtk_toggle_button_set_active (child (f, "unprotected_toggle"), TRUE);
  wait_for_rows (f, 2);
  g_assert_cmpint (health_at (f, 0), ==, BACKUPS_HEALTH_UNPROTECTED);
  g_assert_cmpint (health_at (f, 1), ==, BACKUPS_HEALTH_UNPROTECTED);

  gtk_toggle_button_set_active (child (f, "at_risk_toggle"), TRUE);
  wait_for_rows (f, 2 + n_at_risk);
  g_assert_cmpint (health_at (f, 2), ==, BACKUPS_HEALTH_AT_RISK);

  gtk_toggle_button_set_active (child (f, "unprotected_toggle"), FALSE);
  wait_for_rows (f, n_at_risk);
  g_assert_cmpint (health_at (f, 0), ==, BACKUPS_HEALTH_AT_RISK);

  /* A search narrows what the toggles keep. */
  backups_list_page_set_search_text (BACKUPS_LIST_PAGE (f->page), "site5.");
  wait_for_rows (f, 1);
  backups_list_page_set_search_text (BACKUPS_LIST_PAGE (f->page), "");
  wait_for_rows (f, n_at_risk);

  gtk_toggle_button_set_active (child (f, "at_risk_toggle"), FALSE);
  wait_for_rows (f, f->n_sites);
}

/* The health cells a view shows, in `root`. */
static void
collect_health_cells (GtkWidget *root, GPtrArray *cells)
{
  for (GtkWidget *item = gtk_widget_get_first_child (root); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *last = gtk_widget_get_last_child (item);

      if (GTK_IS_BOX (item) && GTK_IS_IMAGE (gtk_widget_get_first_child (item))
          && GTK_IS_LABEL (last))
        g_ptr_array_add (cells, item);
      else
        collect_health_cells (item, cells);
    }
}

/* Health is a word (not colour alone) next to a symbol; the findings are
 * in the tooltip and in what assistive technology reads of the word. */
static void
test_health_cells (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) cells = g_ptr_array_new ();
  const char *const words[] = { "Unprotected", "Unknown", "At risk", "Protected" };
  gboolean          seen[G_N_ELEMENTS (words)] = { FALSE };
  gboolean          described = FALSE;

  wait_for_rows (f, f->n_sites);
  collect_health_cells (GTK_WIDGET (child (f, "column_view")), cells);
  g_assert_cmpuint (cells->len, >=, 20);

  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget  *label = gtk_widget_get_last_child (cells->pdata[i]);
      const char *word = gtk_label_get_text (GTK_LABEL (label));
      const char *tooltip = gtk_widget_get_tooltip_text (cells->pdata[i]);

      for (guint w = 0; w < G_N_ELEMENTS (words); w++)
        seen[w] |= g_strcmp0 (word, words[w]) == 0;
      g_assert_nonnull (tooltip);
      g_assert_true (g_str_has_prefix (tooltip, word));
      g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (label),
                                                   GTK_ACCESSIBLE_ROLE_LABEL));
      if (g_strcmp0 (word, "At risk") == 0)
        {
          /* "At risk: No remote backup is on, …" */
          g_assert_nonnull (strstr (tooltip, "remote"));
          g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (label),
                                                           GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
          described = TRUE;
        }
    }
  /* The first rows are built: the worst ones, so the first three words. */
  g_assert_true (seen[0] && seen[1] && seen[2]);
  g_assert_true (described);
}

/* Enter or a double-click on a row opens the details: the site, its health
 * and what to change, its backups; closing hides them. */
static void
test_details (Fixture *f, gconstpointer data)
{
  AdwFlap    *flap = child (f, "flap");
  const char *findings;
  guint       first_at_risk = 0;

  wait_for_rows (f, f->n_sites);
  g_assert_false (adw_flap_get_reveal_flap (flap));

  while (health_at (f, first_at_risk) != BACKUPS_HEALTH_AT_RISK)
    first_at_risk++;
  g_signal_emit_by_name (child (f, "column_view"), "activate", first_at_risk);
  g_assert_true (adw_flap_get_reveal_flap (flap));
  {
    g_autoptr (BackupsSite) site = g_list_model_get_item (shown_rows (f), first_at_risk);

    g_assert_cmpstr (gtk_label_get_label (child (f, "details_title")), ==,
                     backups_site_get_site_url (site));
  }
  g_assert_cmpstr (gtk_label_get_label (child (f, "details_health")), ==, "At risk");
  findings = gtk_label_get_label (child (f, "details_findings"));
  g_assert_nonnull (strstr (findings, "GridPane"));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (f, "details_remote")), ==, "None");

  /* A protected site: nothing to change. */
  g_signal_emit_by_name (child (f, "column_view"), "activate", f->n_sites - 1);
  g_assert_cmpstr (gtk_label_get_label (child (f, "details_health")), ==, "Protected");
  g_assert_nonnull (strstr (gtk_label_get_label (child (f, "details_findings")), "Nothing"));

  g_signal_emit_by_name (child (f, "details_close"), "clicked");
  g_assert_false (adw_flap_get_reveal_flap (flap));
}

static double
scroll_value (Fixture *f)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (child (f, "column_view"), GTK_TYPE_SCROLLED_WINDOW);

  return gtk_adjustment_get_value (
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
}

/* New unprotected sites (a sync that brings sites without schedules) sort
 * above every row: a list at its top stays at its top and shows them. */
static void
test_new_worst_rows_show (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSnapshot) more = backups_test_make_snapshot ("zz", 1, 3, 1);
  g_autoptr (BackupsOrg) org = backups_store_find_org (f->store, "Acme", &error);
  g_autoptr (BackupsAccount) account = NULL;

  wait_for_rows (f, f->n_sites);
  g_assert_cmpfloat (scroll_value (f), ==, 0);

  g_ptr_array_set_size (more->schedules, 0);
  account = backups_store_add_account (f->store, backups_org_get_id (org), "gridpane", "Second",
                                       "https://y.example/api", "secret-2", &error);
  g_assert_true (backups_store_apply_snapshot (f->store, backups_account_get_id (account), more,
                                               NULL, &error));
  g_assert_no_error (error);
  wait_for_rows (f, f->n_sites + 3);
  backups_test_wait_until (never, NULL, 300);

  g_assert_cmpint (health_at (f, 0), ==, BACKUPS_HEALTH_UNPROTECTED);
  g_assert_cmpfloat (scroll_value (f), ==, 0);
}

int
main (int argc, char *argv[])
{
  backups_test_display_setup_env ();
  /* gtk_test_init() would drop G_TEST_OPTION_ISOLATE_DIRS. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  backups_test_display_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sites-page/order-and-summary", test_order_and_summary);
  ADD ("/sites-page/toggles-filter", test_toggles_filter);
  ADD ("/sites-page/health-cells", test_health_cells);
  ADD ("/sites-page/details", test_details);
  ADD ("/sites-page/new-worst-rows-show", test_new_worst_rows_show);
#undef ADD

  return g_test_run ();
}
