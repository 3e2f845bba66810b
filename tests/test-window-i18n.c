/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-i18n.c: the main window in German (LANGUAGE=de), with the
 * catalogue the build compiles from po/de.po, under Xvfb (display suite). */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <locale.h>

#include "backups-gridpane-provider.h"
#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-sync-service.h"
#include "backups-test-display.h"
#include "backups-test-util.h"
#include "backups-text-cell.h"
#include "backups-window.h"

#define WAIT_MS 20000

typedef struct
{
  BackupsStore       *store;
  BackupsSecrets     *secrets;
  BackupsSyncService *service;
  GSettings          *settings;
  BackupsWindow      *window;
  GPtrArray          *texts;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own XDG_DATA_HOME. */
  fixture->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  fixture->secrets = backups_secrets_new_memory ();
  fixture->service = backups_sync_service_new (fixture->store, fixture->secrets,
                                               backups_gridpane_provider_factory, NULL);
  fixture->settings = g_settings_new (APP_ID);
  fixture->texts = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&fixture->window)));
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  g_clear_pointer (&fixture->texts, g_ptr_array_unref);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
}

/* An organization with one account; with `n_sites` > 0 its snapshot is in
 * the store as if it had just synced. */
static void
add_org_and_account (Fixture *fixture, guint n_sites)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = backups_store_add_org (fixture->store, "Acme", &error);
  g_autoptr (BackupsAccount) account = NULL;

  g_assert_no_error (error);
  account = backups_store_add_account (fixture->store, backups_org_get_id (org), "gridpane", "Main",
                                       "https://my.gridpane.com/oauth/api/v1", "unused", &error);
  g_assert_no_error (error);

  if (n_sites > 0)
    {
      g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 2, n_sites, 2);

      backups_store_apply_snapshot (fixture->store, backups_account_get_id (account), snapshot,
                                    NULL, &error);
      g_assert_no_error (error);
    }
}

static void
open_window (Fixture *fixture)
{
  fixture->window
    = g_object_new (BACKUPS_TYPE_WINDOW, "store", fixture->store, "sync-service", fixture->service,
                    "settings", fixture->settings, "auto-sync", FALSE, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  backups_test_show_page (GTK_WIDGET (fixture->window), "schedules");
}

static void
collect_menu_labels (GMenuModel *model, GPtrArray *texts)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr (GMenuModel) section = NULL;
      g_autoptr (GMenuModel) submenu = NULL;
      char *label = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        g_ptr_array_add (texts, label);
      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section != NULL)
        collect_menu_labels (section, texts);
      submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);
      if (submenu != NULL)
        collect_menu_labels (submenu, texts);
    }
}

/* Every text the user can read off the widget and its descendants: labels
 * (column headers and cells included), tooltips, placeholders, button
 * labels and the items of menus. */
static void
collect_texts (GtkWidget *widget, GPtrArray *texts)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  if (BACKUPS_IS_TEXT_CELL (widget))
    g_ptr_array_add (texts, g_strdup (backups_text_cell_get_text (BACKUPS_TEXT_CELL (widget))));
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    g_ptr_array_add (texts, g_strdup (gtk_button_get_label (GTK_BUTTON (widget))));
  if (tooltip != NULL)
    g_ptr_array_add (texts, g_strdup (tooltip));
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "placeholder-text") != NULL)
    {
      char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      if (placeholder != NULL)
        g_ptr_array_add (texts, placeholder);
    }
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)))
    collect_menu_labels (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)), texts);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static void
recollect (Fixture *fixture)
{
  g_ptr_array_set_size (fixture->texts, 0);
  collect_texts (GTK_WIDGET (fixture->window), fixture->texts);
  g_ptr_array_add (fixture->texts, g_strdup (gtk_window_get_title (GTK_WINDOW (fixture->window))));
}

/* The first text that starts with `prefix`, or NULL. */
static const char *
find_text (Fixture *fixture, const char *prefix)
{
  for (guint i = 0; i < fixture->texts->len; i++)
    {
      const char *text = g_ptr_array_index (fixture->texts, i);

      if (text != NULL && g_str_has_prefix (text, prefix))
        return text;
    }
  return NULL;
}

static void
assert_shown (Fixture *fixture, const char *text)
{
  if (!g_ptr_array_find_with_equal_func (fixture->texts, text, g_str_equal, NULL))
    g_error ("“%s” is not shown in the window", text);
}

static void
assert_not_shown (Fixture *fixture, const char *text)
{
  if (g_ptr_array_find_with_equal_func (fixture->texts, text, g_str_equal, NULL))
    g_error ("“%s” is shown untranslated", text);
}

typedef struct
{
  Fixture    *fixture;
  const char *prefix;
} TextWait;

static gboolean
text_appeared (gpointer data)
{
  TextWait *wait = data;

  recollect (wait->fixture);
  return find_text (wait->fixture, wait->prefix) != NULL;
}

/* Waits until a text starting with `prefix` is shown, and returns it. */
static const char *
wait_for_text (Fixture *fixture, const char *prefix)
{
  TextWait wait = { fixture, prefix };

  if (!backups_test_wait_until (text_appeared, &wait, WAIT_MS))
    g_error ("No text starting with “%s” appeared in the window", prefix);
  return find_text (fixture, prefix);
}

/* What the same window shows in English. */
static const char *const english_texts[] = {
  "Schedules", "Integrations", "Site",    "Frequency",      "Next Run",
  "Retention", "Remote",       "Enabled", "_About Backups",
};

/* The window with rows: the chrome from the .ui templates (GtkBuilder's
 * translation), the cells from C (_() in the UI and in the core) and the
 * footer from ngettext with German plurals. */
static void
test_window_in_german (Fixture *fixture, gconstpointer data)
{
  const char *footer;

  add_org_and_account (fixture, 12);
  open_window (fixture);

  /* Cells of the core's schedule descriptions, once rows are shown. */
  g_assert_nonnull (wait_for_text (fixture, "Täglich um 02:30"));
  g_assert_nonnull (find_text (fixture, "Wöchentlich am "));
  g_assert_nonnull (find_text (fixture, "30 Tage aufbewahren · eine Woche lang täglich"));

  /* The view switcher, the column headers, tooltips and the search. */
  assert_shown (fixture, "Zeitpläne");
  assert_shown (fixture, "Integrationen");
  assert_shown (fixture, "Website");
  assert_shown (fixture, "Häufigkeit");
  assert_shown (fixture, "Nächster Lauf");
  assert_shown (fixture, "Aufbewahrung");
  assert_shown (fixture, "Entfernt");
  assert_shown (fixture, "Aktiviert");
  assert_shown (fixture, "Jetzt synchronisieren (Strg+R)");
  assert_shown (fixture, "Suchen");

  /* The main menu. */
  assert_shown (fixture, "_Einstellungen");
  assert_shown (fixture, "_Tastenkürzel");
  assert_shown (fixture, "_Info zu Backups");

  /* 24 schedules: the plural form, and the relative time. */
  footer = wait_for_text (fixture, "24 Zeitpläne · ");
  g_assert_true (g_str_has_suffix (footer, "Zuletzt synchronisiert: gerade eben"));

  for (guint i = 0; i < G_N_ELEMENTS (english_texts); i++)
    assert_not_shown (fixture, english_texts[i]);
  g_assert_null (find_text (fixture, "Daily at"));
  g_assert_null (find_text (fixture, "24 schedules"));
}

/* An account that never synced: the empty page and the footer. */
static void
test_empty_in_german (Fixture *fixture, gconstpointer data)
{
  add_org_and_account (fixture, 0);
  open_window (fixture);

  wait_for_text (fixture, "Keine Sicherungszeitpläne");
  assert_shown (fixture, "0 Zeitpläne · Nie synchronisiert");
  assert_not_shown (fixture, "No Backup Schedules");
}

int
main (int argc, char *argv[])
{
  g_autofree char *program_dir = g_path_get_dirname (argv[0]);
  g_autofree char *build_dir = NULL;
  g_autofree char *schema_dir = NULL;
  g_autofree char *locale_dir = NULL;

  if (g_getenv ("G_TEST_BUILDDIR") != NULL)
    build_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", NULL);
  else
    build_dir = g_build_filename (program_dir, "..", NULL);
  schema_dir = g_build_filename (build_dir, "data", NULL);
  /* The build compiles po/de.po to <build>/po/de/LC_MESSAGES/backups.mo. */
  locale_dir = g_build_filename (build_dir, "po", NULL);

  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);

  /* GNU gettext ignores LANGUAGE in the "C" locale; C.UTF-8 is built into
   * glibc, so no de_DE locale needs to be generated. LC_TIME stays as it
   * is: the test reads clock times, not month names. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, ""));

  /* What main.c does, with the build's catalogue. */
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Read the MIME database while the system data dirs are still the real
   * ones: GTK needs it to recognize its SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  backups_test_display_init ();

  g_test_add ("/window-i18n/german", Fixture, NULL, fixture_set_up, test_window_in_german,
              fixture_tear_down);
  g_test_add ("/window-i18n/empty-german", Fixture, NULL, fixture_set_up, test_empty_in_german,
              fixture_tear_down);

  return g_test_run ();
}
