/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-restore-points.c: a site's restore points in the store:
 * replaced whole, scoped to the organization, kept when a replace fails,
 * gone with their account, and no reason for the schedule lists to re-read. */
#include "backups-error.h"
#include "backups-store-private.h"
#include "backups-test-util.h"

#define SITE 869000 /* the first site of backups_test_make_snapshot() */

typedef struct
{
  BackupsStore   *store;
  BackupsOrg     *org;
  BackupsAccount *account;
  BackupsOrg     *other_org;
  BackupsAccount *other_account;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 2, 3, 2);
  g_autoptr (BackupsSnapshot) other = backups_test_make_snapshot ("globex", 1, 1, 1);
  g_autoptr (GError) error = NULL;

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  f->org = backups_store_add_org (f->store, "Acme", &error);
  f->account = backups_store_add_account (f->store, backups_org_get_id (f->org), "gridpane", "Main",
                                          "https://x.example/api", "secret-a", &error);
  f->other_org = backups_store_add_org (f->store, "Globex", &error);
  f->other_account
    = backups_store_add_account (f->store, backups_org_get_id (f->other_org), "gridpane", "Main",
                                 "https://y.example/api", "secret-b", &error);
  g_assert_no_error (error);
  g_assert_true (backups_store_apply_snapshot (f->store, backups_account_get_id (f->account),
                                               snapshot, NULL, &error));
  /* The other org's site has the same remote id. */
  g_assert_true (backups_store_apply_snapshot (
    f->store, backups_account_get_id (f->other_account), other, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->account);
  g_clear_object (&f->org);
  g_clear_object (&f->other_account);
  g_clear_object (&f->other_org);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  backups_test_assert_finalize (f->store);
}

static void
add_point (GPtrArray *points, const char *source, BackupsRestorePointKind kind, const char *name,
           gint64 taken_at, const char *tag)
{
  BackupsRestorePointRecord *point = backups_restore_point_record_new ();

  point->source = g_strdup (source);
  point->kind = kind;
  point->name = g_strdup (name);
  point->taken_at = taken_at;
  point->tag = g_strdup (tag);
  g_ptr_array_add (points, point);
}

static GPtrArray *
list (Fixture *f, BackupsOrg *org, BackupsAccount *account, gint64 site, gint64 *checked_at)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *points = backups_store_list_restore_points (
    f->store, backups_org_get_id (org), backups_account_get_id (account), site, checked_at, &error);

  g_assert_no_error (error);
  g_assert_nonnull (points);
  return points;
}

static void
replace_ok (Fixture *f, BackupsAccount *account, gint64 site, GPtrArray *points, gint64 checked_at)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (backups_store_replace_restore_points (
    f->store, backups_account_get_id (account), site, points, 0, checked_at, &error));
  g_assert_no_error (error);
}

static void
test_replace_and_list (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) first = backups_restore_point_record_array_new ();
  g_autoptr (GPtrArray) second = backups_restore_point_record_array_new ();
  g_autoptr (GPtrArray) listed = NULL;
  BackupsRestorePointRecord *point;
  gint64 checked_at = -1;

  /* Never read: nothing, and no time. */
  listed = list (f, f->org, f->account, SITE, &checked_at);
  g_assert_cmpuint (listed->len, ==, 0);
  g_assert_cmpint (checked_at, ==, 0);
  g_clear_pointer (&listed, g_ptr_array_unref);

  add_point (first, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, "2024-05-01 00:00", 1714521600, NULL);
  add_point (first, "aws-s3", BACKUPS_RESTORE_POINT_MANUAL, "2024-05-02 10:11 pre-update",
             1714644660, "pre-update");
  add_point (first, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, "2024-04-30 00:00", 1714435200, NULL);
  replace_ok (f, f->account, SITE, first, 1000);

  listed = list (f, f->org, f->account, SITE, &checked_at);
  g_assert_cmpint (checked_at, ==, 1000);
  g_assert_cmpuint (listed->len, ==, 3);
  point = g_ptr_array_index (listed, 0); /* newest first */
  g_assert_cmpstr (point->source, ==, "aws-s3");
  g_assert_cmpint (point->kind, ==, BACKUPS_RESTORE_POINT_MANUAL);
  g_assert_cmpstr (point->name, ==, "2024-05-02 10:11 pre-update");
  g_assert_cmpstr (point->tag, ==, "pre-update");
  g_assert_cmpint (point->taken_at, ==, 1714644660);
  point = g_ptr_array_index (listed, 2);
  g_assert_cmpstr (point->name, ==, "2024-04-30 00:00");
  g_assert_null (point->tag);
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* A second read replaces the first whole. */
  add_point (second, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, "2024-05-03 00:00", 1714694400, NULL);
  replace_ok (f, f->account, SITE, second, 2000);
  listed = list (f, f->org, f->account, SITE, &checked_at);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpint (checked_at, ==, 2000);
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* Other sites are not touched. */
  listed = list (f, f->org, f->account, SITE + 1, &checked_at);
  g_assert_cmpuint (listed->len, ==, 0);
  g_assert_cmpint (checked_at, ==, 0);
}

/* Another organization's account reads nothing, even with the right ids;
 * the same remote site id in two accounts are two sites. */
static void
test_isolation (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) points = backups_restore_point_record_array_new ();
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  g_autoptr (GPtrArray) crossed = NULL;
  gint64 checked_at;

  add_point (points, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, "2024-05-01 00:00", 1714521600, NULL);
  replace_ok (f, f->account, SITE, points, 1000);

  theirs = list (f, f->other_org, f->other_account, SITE, &checked_at);
  g_assert_cmpuint (theirs->len, ==, 0);
  g_assert_cmpint (checked_at, ==, 0);
  crossed = list (f, f->other_org, f->account, SITE, &checked_at);
  g_assert_cmpuint (crossed->len, ==, 0);
  g_assert_cmpint (checked_at, ==, 0);
  mine = list (f, f->org, f->account, SITE, &checked_at);
  g_assert_cmpuint (mine->len, ==, 1);
}

/* A site the sync removed gets nothing; a failed replace keeps the points
 * there were. */
static void
test_failures_keep_points (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) points = backups_restore_point_record_array_new ();
  g_autoptr (GPtrArray) bad = backups_restore_point_record_array_new ();
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GError) error = NULL;
  gint64 checked_at;

  g_assert_false (backups_store_replace_restore_points (
    f->store, backups_account_get_id (f->account), 1, points, 0, 1000, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  add_point (points, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, "2024-05-01 00:00", 1714521600, NULL);
  replace_ok (f, f->account, SITE, points, 1000);

  /* A point without a name breaks the table's NOT NULL halfway. */
  add_point (bad, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, "2024-05-02 00:00", 1714608000, NULL);
  add_point (bad, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, NULL, 1714694400, NULL);
  g_assert_false (backups_store_replace_restore_points (
    f->store, backups_account_get_id (f->account), SITE, bad, 0, 2000, &error));
  g_assert_nonnull (error);

  listed = list (f, f->org, f->account, SITE, &checked_at);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((BackupsRestorePointRecord *)listed->pdata[0])->name, ==, "2024-05-01 00:00");
  g_assert_cmpint (checked_at, ==, 1000);
}

static guint
count_points (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = backups_store_acquire_connection (f->store, &error);
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT (*) FROM restore_points", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  backups_store_release_connection (f->store, db);
  return n;
}

/* Removing the account (or its organization) removes its points. */
static void
test_cascade (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) points = backups_restore_point_record_array_new ();
  g_autoptr (GError) error = NULL;

  add_point (points, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, "2024-05-01 00:00", 1714521600, NULL);
  replace_ok (f, f->account, SITE, points, 1000);
  replace_ok (f, f->other_account, SITE, points, 1000);
  g_assert_cmpuint (count_points (f), ==, 2);

  g_assert_true (backups_store_remove_account (f->store, backups_account_get_id (f->account), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_points (f), ==, 1);
  g_assert_true (backups_store_remove_org (f->store, backups_org_get_id (f->other_org), &error));
  g_assert_cmpuint (count_points (f), ==, 0);
}

/* The schedule lists learn that no schedule row changed: they keep their
 * rows instead of reading every schedule again. */
static void
test_change_hint (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) points = backups_restore_point_record_array_new ();
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint64 before = backups_store_get_change_serial (f->store);
  guint64 serial;

  add_point (points, "local", BACKUPS_RESTORE_POINT_AUTOMATIC, "2024-05-01 00:00", 1714521600, NULL);
  replace_ok (f, f->account, SITE, points, 1000);

  g_assert_true (backups_store_get_schedule_changes (f->store, before, &serial, keys));
  g_assert_cmpuint (serial, >, before);
  g_assert_cmpuint (keys->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func)                                                                            \
  g_test_add ("/store/restore-points/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("replace-and-list", test_replace_and_list);
  ADD ("isolation", test_isolation);
  ADD ("failures-keep-points", test_failures_keep_points);
  ADD ("cascade", test_cascade);
  ADD ("change-hint", test_change_hint);

  return g_test_run ();
}
