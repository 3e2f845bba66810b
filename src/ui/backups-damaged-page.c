/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-damaged-page.c
 *
 * Rebuilding reads the keyring's owners in a worker (a blocking D-Bus
 * call), then rebuilds the store on its own thread, this one. The page
 * then emits ::rebuilt with what could not be recovered; the store, no
 * longer damaged, tells the window to show its lists again, and the
 * window syncs them back.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "backups-damaged-page.h"
#include "backups-error.h"

struct _BackupsDamagedPage
{
  GtkWidget parent_instance;

  BackupsStore   *store;
  BackupsSecrets *secrets;
  GCancellable   *cancellable;
  gboolean        rebuilding;

  /* Template children */
  GtkWidget *status_page;
  GtkLabel  *description_label;
  GtkButton *rebuild_button;
  GtkLabel  *error_label;
};

G_DEFINE_FINAL_TYPE (BackupsDamagedPage, backups_damaged_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SECRETS,
  PROP_REBUILDING,
  N_PROPS
};

enum
{
  REBUILT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void
set_rebuilding (BackupsDamagedPage *self, gboolean rebuilding)
{
  if (self->rebuilding == rebuilding)
    return;

  self->rebuilding = rebuilding;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REBUILDING]);
}

static void
show_error (BackupsDamagedPage *self, const char *message)
{
  if (self->error_label == NULL)
    return;

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
list_owners_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  BackupsSecrets *secrets = task_data;
  GPtrArray      *owners;
  GError         *error = NULL;

  if (secrets == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  owners = backups_secrets_list_owners (secrets, &error);
  if (owners == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, owners, (GDestroyNotify)g_ptr_array_unref);
}

static void
list_owners_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (BackupsDamagedPage) self = user_data;
  g_autoptr (GError) keyring_error = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) owners = NULL;
  g_autoptr (BackupsRebuildReport) report = NULL;
  g_autoptr (GStrvBuilder) notes = g_strv_builder_new ();
  g_auto (GStrv) lines = NULL;

  owners = g_task_propagate_pointer (G_TASK (result), &keyring_error);
  if (g_error_matches (keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    return;

  /* Without the keyring the accounts the file still holds are kept; those
   * that only the keyring knows cannot be, and the notes say so. */
  if (keyring_error != NULL)
    g_strv_builder_add (notes, keyring_error->message);

  if (!backups_store_rebuild (self->store, owners, &report, &error))
    {
      set_rebuilding (self, FALSE);
      show_error (self, error->message);
      return;
    }

  g_debug ("Rebuilt the cache; the damaged one is %s", report->moved_to);
  for (guint i = 0; i < report->lost->len; i++)
    g_strv_builder_add (notes, g_ptr_array_index (report->lost, i));
  lines = g_strv_builder_end (notes);

  set_rebuilding (self, FALSE);
  g_signal_emit (self, signals[REBUILT], 0, lines);
}

static void
rebuild_clicked_cb (BackupsDamagedPage *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->rebuilding || self->store == NULL)
    return;

  set_rebuilding (self, TRUE);
  show_error (self, NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* No source object: the worker's last reference to the task must not be
   * the last one to a widget. */
  task = g_task_new (NULL, self->cancellable, list_owners_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, rebuild_clicked_cb);
  if (self->secrets != NULL)
    g_task_set_task_data (task, g_object_ref (self->secrets), g_object_unref);
  g_task_run_in_thread (task, list_owners_thread);
}

static void
update_description (BackupsDamagedPage *self)
{
  g_autofree char *text = NULL;

  if (self->description_label == NULL)
    return;

  if (self->store != NULL)
    /* Translators: the path of the cache file */
    text = g_strdup_printf (_ ("The file %s can no longer be read correctly, so Backups shows "
                               "nothing rather than wrong data. Rebuilding it moves it aside, "
                               "keeps your organizations and accounts (their tokens stay in the "
                               "keyring) and then downloads everything again from GridPane."),
                            backups_store_get_path (self->store));
  gtk_label_set_label (self->description_label, text != NULL ? text : "");
}

void
backups_damaged_page_set_store (BackupsDamagedPage *self, BackupsStore *store)
{
  g_return_if_fail (BACKUPS_IS_DAMAGED_PAGE (self));
  g_return_if_fail (store == NULL || BACKUPS_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
backups_damaged_page_set_secrets (BackupsDamagedPage *self, BackupsSecrets *secrets)
{
  g_return_if_fail (BACKUPS_IS_DAMAGED_PAGE (self));
  g_return_if_fail (secrets == NULL || BACKUPS_IS_SECRETS (secrets));

  if (g_set_object (&self->secrets, secrets))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRETS]);
}

gboolean
backups_damaged_page_get_rebuilding (BackupsDamagedPage *self)
{
  g_return_val_if_fail (BACKUPS_IS_DAMAGED_PAGE (self), FALSE);

  return self->rebuilding;
}

/* Shown, the page's one button is what Enter presses. */
static void
backups_damaged_page_map (GtkWidget *widget)
{
  BackupsDamagedPage *self = BACKUPS_DAMAGED_PAGE (widget);
  GtkRoot            *root = gtk_widget_get_root (widget);

  GTK_WIDGET_CLASS (backups_damaged_page_parent_class)->map (widget);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), GTK_WIDGET (self->rebuild_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->rebuild_button));
}

static void
backups_damaged_page_unmap (GtkWidget *widget)
{
  BackupsDamagedPage *self = BACKUPS_DAMAGED_PAGE (widget);
  GtkRoot            *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root)
      && gtk_window_get_default_widget (GTK_WINDOW (root)) == GTK_WIDGET (self->rebuild_button))
    gtk_window_set_default_widget (GTK_WINDOW (root), NULL);

  GTK_WIDGET_CLASS (backups_damaged_page_parent_class)->unmap (widget);
}

static void
backups_damaged_page_dispose (GObject *object)
{
  BackupsDamagedPage *self = BACKUPS_DAMAGED_PAGE (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), BACKUPS_TYPE_DAMAGED_PAGE);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (backups_damaged_page_parent_class)->dispose (object);
}

static void
backups_damaged_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsDamagedPage *self = BACKUPS_DAMAGED_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_REBUILDING:
      g_value_set_boolean (value, self->rebuilding);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_damaged_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BackupsDamagedPage *self = BACKUPS_DAMAGED_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      backups_damaged_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_SECRETS:
      backups_damaged_page_set_secrets (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_damaged_page_class_init (BackupsDamagedPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = backups_damaged_page_dispose;
  object_class->get_property = backups_damaged_page_get_property;
  object_class->set_property = backups_damaged_page_set_property;
  widget_class->map = backups_damaged_page_map;
  widget_class->unmap = backups_damaged_page_unmap;

  properties[PROP_STORE]
    = g_param_spec_object ("store", NULL, NULL, BACKUPS_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS]
    = g_param_spec_object ("secrets", NULL, NULL, BACKUPS_TYPE_SECRETS,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REBUILDING] = g_param_spec_boolean ("rebuilding", NULL, NULL, FALSE,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BackupsDamagedPage::rebuilt:
   * @notes: sentences for the user: what could not be recovered, and what
   *   to do about it (empty when everything was)
   *
   * The store was rebuilt and is empty of rows until synced.
   */
  signals[REBUILT] = g_signal_new ("rebuilt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Backups/ui/backups-damaged-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BackupsDamagedPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, BackupsDamagedPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, BackupsDamagedPage, rebuild_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsDamagedPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, rebuild_clicked_cb);
}

static void
backups_damaged_page_init (BackupsDamagedPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
