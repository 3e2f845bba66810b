/* backups-accounts-window.c
 *
 * Adding an account: the provider checks the token with GridPane, the token
 * goes to the secret store under a fresh id, and only then the store gets
 * the account (name, URL, secret id; never the token). A first sync of the
 * account follows, so its rows appear in the main window by themselves.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "backups-accounts-window.h"
#include "backups-format.h"
#include "backups-gridpane-provider.h"

struct _BackupsAccountsWindow
{
  GtkWindow parent_instance;

  BackupsStore       *store;
  BackupsSecrets     *secrets;
  BackupsSyncService *sync_service;
  gint64              org_id;
  gulong              store_changed_id;

  /* The account being added, while its token is checked and stored. */
  GCancellable    *add_cancellable;
  BackupsProvider *provider;
  char            *pending_name;
  char            *pending_url;
  char            *pending_secret_id;
  char            *pending_token;

  /* Template children */
  GtkLabel         *accounts_heading;
  GtkStack         *accounts_stack;
  GtkListBox       *accounts_list;
  GtkEntry         *name_entry;
  GtkPasswordEntry *token_entry;
  GtkEntry         *url_entry;
  GtkLabel         *add_error_label;
  GtkSpinner       *add_spinner;
  GtkButton        *add_button;
};

G_DEFINE_FINAL_TYPE (BackupsAccountsWindow, backups_accounts_window, GTK_TYPE_WINDOW)

static char *
describe_status (BackupsAccount *account)
{
  gint64           finished = backups_account_get_last_sync_finished_at (account);
  g_autofree char *ago = NULL;

  switch (backups_account_get_last_sync_status (account))
    {
    case BACKUPS_SYNC_STATUS_SYNCING:
      return g_strdup (_ ("Syncing…"));
    case BACKUPS_SYNC_STATUS_ERROR:
      return g_strdup (backups_account_get_last_sync_error (account)
                         ?: _ ("The last sync failed."));
    case BACKUPS_SYNC_STATUS_OK:
      ago = backups_format_relative_time (finished, g_get_real_time () / G_USEC_PER_SEC);
      /* Translators: "Last synced 5 minutes ago" */
      return g_strdup_printf (_ ("Last synced %s"), ago);
    case BACKUPS_SYNC_STATUS_NEVER:
    default:
      return g_strdup (_ ("Never synced"));
    }
}

static void
remove_account_cb (GtkButton *button, BackupsAccountsWindow *self)
{
  g_autoptr (GError) error = NULL;
  BackupsAccount  *account = g_object_get_data (G_OBJECT (button), "account");
  g_autofree char *secret_id = g_strdup (backups_account_get_secret_id (account));

  gtk_popover_popdown (
    GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER)));

  if (!backups_store_remove_account (self->store, backups_account_get_id (account), &error))
    {
      gtk_label_set_label (self->add_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), TRUE);
      return;
    }

  /* The token is no use any more; a keyring that cannot be reached keeps it
   * until the user clears it there. */
  if (secret_id != NULL && !backups_secrets_clear (self->secrets, secret_id, &error))
    g_debug ("Could not forget the token: %s", error->message);
}

static void
set_status (GtkWidget *label, BackupsAccount *account)
{
  g_autofree char *status = describe_status (account);
  gboolean failed = backups_account_get_last_sync_status (account) == BACKUPS_SYNC_STATUS_ERROR;

  gtk_label_set_label (GTK_LABEL (label), status);
  if (failed)
    {
      gtk_widget_remove_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "error");
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "dim-label");
    }
}

static void first_sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Replacing an account's token: checked with GridPane first, then kept
 * under the account's existing secret id, and the account syncs again. */
typedef struct
{
  BackupsAccountsWindow *self;
  BackupsAccount        *account;
  BackupsProvider       *provider;
  GtkPopover            *popover;
  GtkEditable           *entry;
  GtkLabel              *error_label;
  GtkWidget             *save_button;
  char                  *token;
} TokenUpdate;

static void
token_update_free (TokenUpdate *update)
{
  g_clear_object (&update->account);
  g_clear_object (&update->provider);
  if (update->token != NULL)
    memset (update->token, 0, strlen (update->token));
  g_clear_pointer (&update->token, g_free);
  g_free (update);
}

static void
token_update_finish (TokenUpdate *update, const GError *error)
{
  g_clear_object (&update->provider);
  if (update->token != NULL)
    memset (update->token, 0, strlen (update->token));
  g_clear_pointer (&update->token, g_free);
  gtk_widget_set_sensitive (update->save_button, TRUE);

  if (error != NULL)
    {
      gtk_label_set_label (update->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (update->error_label), TRUE);
      return;
    }

  gtk_editable_set_text (update->entry, "");
  gtk_widget_set_visible (GTK_WIDGET (update->error_label), FALSE);
  gtk_popover_popdown (update->popover);
  if (update->self->sync_service != NULL)
    backups_sync_service_sync_account_async (update->self->sync_service,
                                             backups_account_get_id (update->account), NULL,
                                             first_sync_done_cb, NULL);
}

static void
token_stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TokenUpdate *update = user_data;
  g_autoptr (GError) error = NULL;

  BackupsAccountsWindow *self = update->self;

  backups_secrets_store_finish (BACKUPS_SECRETS (object), result, &error);
  token_update_finish (update, error);
  g_object_unref (update->popover); /* may free `update` */
  g_object_unref (self);
}

static void
token_validated_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TokenUpdate *update = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;

  if (!backups_provider_validate_finish (BACKUPS_PROVIDER (object), result, &error))
    {
      BackupsAccountsWindow *self = update->self;

      token_update_finish (update, error);
      g_object_unref (update->popover); /* may free `update` */
      g_object_unref (self);
      return;
    }

  label
    = g_strdup_printf (_ ("GridPane token of “%s”"), backups_account_get_name (update->account));
  backups_secrets_store_async (update->self->secrets,
                               backups_account_get_secret_id (update->account), label,
                               update->token, NULL, token_stored_cb, update);
}

static void
save_token_cb (TokenUpdate *update)
{
  g_autoptr (GError) error = NULL;
  const char *token = gtk_editable_get_text (update->entry);

  if (*token == '\0' || update->provider != NULL)
    return;

  update->provider = backups_gridpane_provider_factory (
    backups_account_get_provider (update->account), backups_account_get_name (update->account),
    backups_account_get_base_url (update->account), token, NULL, &error);
  if (update->provider == NULL)
    {
      token_update_finish (update, error);
      return;
    }

  update->token = g_strdup (token);
  gtk_widget_set_sensitive (update->save_button, FALSE);
  /* The popover (and with it `update`) and the window live until the
   * answer. */
  g_object_ref (update->popover);
  g_object_ref (update->self);
  backups_provider_validate_async (update->provider, NULL, token_validated_cb, update);
}

static GtkWidget *
create_token_button (BackupsAccountsWindow *self, BackupsAccount *account)
{
  TokenUpdate     *update = g_new0 (TokenUpdate, 1);
  g_autofree char *title = NULL;
  g_autofree char *button_label = NULL;
  GtkWidget       *box, *heading, *entry, *error_label, *save, *popover, *menu_button;

  title = g_strdup_printf (_ ("New API token of “%s”"), backups_account_get_name (account));
  heading = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (error_label), 40);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  save = gtk_button_new_with_mnemonic (_ ("_Check and Save"));
  gtk_widget_add_css_class (save, "suggested-action");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), error_label);
  gtk_box_append (GTK_BOX (box), save);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  update->self = self;
  update->account = g_object_ref (account);
  update->popover = GTK_POPOVER (popover);
  update->entry = GTK_EDITABLE (entry);
  update->error_label = GTK_LABEL (error_label);
  update->save_button = save;
  g_object_set_data_full (G_OBJECT (popover), "token-update", update,
                          (GDestroyNotify)token_update_free);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_token_cb), update);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (save_token_cb), update);

  button_label = g_strdup_printf (_ ("Update the token of %s"), backups_account_get_name (account));
  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "document-edit-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (menu_button, _ ("Update Token"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  button_label, -1);
  return menu_button;
}

static GtkWidget *
create_account_row (BackupsAccountsWindow *self, BackupsAccount *account)
{
  const char      *name = backups_account_get_name (account);
  g_autofree char *status = describe_status (account);
  g_autofree char *question = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget       *row, *box, *labels, *title, *subtitle, *menu_button, *popover, *popover_box;
  GtkWidget       *confirm_label, *confirm_button;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  title = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  set_status (subtitle, account);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  /* Removing asks once, in a popover: it deletes the account's rows. */
  question = g_strdup_printf (_ ("Remove “%s” and its cached data?"), name);
  confirm_label = gtk_label_new (question);
  confirm_button = gtk_button_new_with_mnemonic (_ ("_Remove"));
  gtk_widget_add_css_class (confirm_button, "destructive-action");
  g_object_set_data_full (G_OBJECT (confirm_button), "account", g_object_ref (account),
                          g_object_unref);
  g_signal_connect (confirm_button, "clicked", G_CALLBACK (remove_account_cb), self);
  popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (popover_box), confirm_label);
  gtk_box_append (GTK_BOX (popover_box), confirm_button);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), popover_box);

  gtk_box_append (GTK_BOX (box), create_token_button (self, account));

  remove_label = g_strdup_printf (_ ("Remove account %s"), name);
  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "user-trash-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (menu_button, _ ("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  gtk_box_append (GTK_BOX (box), menu_button);

  row = gtk_list_box_row_new ();
  g_object_set_data (G_OBJECT (row), "status-label", subtitle);
  g_object_set_data_full (
    G_OBJECT (row), "key",
    g_strdup_printf ("%" G_GINT64_FORMAT "\n%s", backups_account_get_id (account), name), g_free);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* Rebuilds the rows only when accounts came or went, so that a sync
 * finishing does not close a popover the user is typing in. */
static void
reload_accounts (BackupsAccountsWindow *self)
{
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *row;
  gboolean   same = TRUE;
  guint      i = 0;

  if (self->accounts_list == NULL)
    return;

  accounts = backups_store_list_accounts (self->store, self->org_id, &error);
  if (accounts == NULL)
    {
      g_debug ("Could not list accounts: %s", error->message);
      return;
    }

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row), i++)
    {
      BackupsAccount  *account = i < accounts->len ? g_ptr_array_index (accounts, i) : NULL;
      g_autofree char *key = NULL;

      if (account != NULL)
        key = g_strdup_printf ("%" G_GINT64_FORMAT "\n%s", backups_account_get_id (account),
                               backups_account_get_name (account));
      if (account == NULL || g_strcmp0 (key, g_object_get_data (G_OBJECT (row), "key")) != 0)
        {
          same = FALSE;
          break;
        }
    }
  same = same && i == accounts->len;

  if (same)
    {
      i = 0;
      for (row = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list)); row != NULL;
           row = gtk_widget_get_next_sibling (row), i++)
        set_status (g_object_get_data (G_OBJECT (row), "status-label"),
                    g_ptr_array_index (accounts, i));
      return;
    }

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list))) != NULL)
    gtk_list_box_remove (self->accounts_list, row);

  for (i = 0; i < accounts->len; i++)
    gtk_list_box_append (self->accounts_list,
                         create_account_row (self, g_ptr_array_index (accounts, i)));

  gtk_stack_set_visible_child_name (self->accounts_stack, accounts->len > 0 ? "list" : "none");
}

static void
update_add_button (BackupsAccountsWindow *self)
{
  g_autofree char *name = NULL;
  const char      *token;
  gboolean         busy = self->add_cancellable != NULL;

  if (self->add_button == NULL)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  token = gtk_editable_get_text (GTK_EDITABLE (self->token_entry));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            !busy && *name != '\0' && *token != '\0');
}

static void
forget_token (BackupsAccountsWindow *self)
{
  if (self->pending_token != NULL)
    {
      memset (self->pending_token, 0, strlen (self->pending_token));
      g_clear_pointer (&self->pending_token, g_free);
    }
}

static void
finish_adding (BackupsAccountsWindow *self, const GError *error)
{
  g_clear_object (&self->add_cancellable);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->pending_name, g_free);
  g_clear_pointer (&self->pending_url, g_free);
  g_clear_pointer (&self->pending_secret_id, g_free);
  forget_token (self);

  gtk_spinner_set_spinning (self->add_spinner, FALSE);

  if (error != NULL)
    {
      gtk_label_set_label (self->add_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), TRUE);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->token_entry), "");
      gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), FALSE);
    }

  update_add_button (self);
}

static void
first_sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  /* Its outcome is in the store, where the list and the banner read it. */
  backups_sync_service_sync_account_finish (BACKUPS_SYNC_SERVICE (object), result, NULL);
}

static void
secret_stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (BackupsAccountsWindow) self = user_data;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  if (!backups_secrets_store_finish (BACKUPS_SECRETS (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish_adding (self, error);
      return;
    }

  account = backups_store_add_account (self->store, self->org_id, "gridpane", self->pending_name,
                                       self->pending_url, self->pending_secret_id, &error);
  if (account == NULL)
    {
      g_autoptr (GError) clear_error = NULL;

      if (!backups_secrets_clear (self->secrets, self->pending_secret_id, &clear_error))
        g_debug ("Could not forget the token: %s", clear_error->message);
      finish_adding (self, error);
      return;
    }

  if (self->sync_service != NULL)
    backups_sync_service_sync_account_async (self->sync_service, backups_account_get_id (account),
                                             NULL, first_sync_done_cb, NULL);
  finish_adding (self, NULL);
}

static void
validated_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (BackupsAccountsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;

  if (!backups_provider_validate_finish (BACKUPS_PROVIDER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish_adding (self, error);
      return;
    }

  /* Translators: the keyring item's label; the account's name */
  label = g_strdup_printf (_ ("GridPane token of “%s”"), self->pending_name);
  self->pending_secret_id = backups_secrets_generate_id ();
  backups_secrets_store_async (self->secrets, self->pending_secret_id, label, self->pending_token,
                               self->add_cancellable, secret_stored_cb, g_object_ref (self));
}

static void
add_clicked_cb (BackupsAccountsWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  const char      *token = gtk_editable_get_text (GTK_EDITABLE (self->token_entry));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->add_button)))
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
  if (*url == '\0')
    {
      g_free (url);
      url = g_strdup (BACKUPS_GRIDPANE_DEFAULT_BASE_URL);
    }

  self->provider = backups_gridpane_provider_factory ("gridpane", name, url, token, NULL, &error);
  if (self->provider == NULL)
    {
      finish_adding (self, error);
      return;
    }

  self->add_cancellable = g_cancellable_new ();
  self->pending_name = g_steal_pointer (&name);
  self->pending_url = g_steal_pointer (&url);
  self->pending_token = g_strdup (token);

  gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), FALSE);
  gtk_spinner_set_spinning (self->add_spinner, TRUE);
  update_add_button (self);

  backups_provider_validate_async (self->provider, self->add_cancellable, validated_cb,
                                   g_object_ref (self));
}

static void
backups_accounts_window_dispose (GObject *object)
{
  BackupsAccountsWindow *self = BACKUPS_ACCOUNTS_WINDOW (object);

  g_cancellable_cancel (self->add_cancellable);
  g_clear_signal_handler (&self->store_changed_id, self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), BACKUPS_TYPE_ACCOUNTS_WINDOW);

  g_clear_object (&self->add_cancellable);
  g_clear_object (&self->provider);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (backups_accounts_window_parent_class)->dispose (object);
}

static void
backups_accounts_window_finalize (GObject *object)
{
  BackupsAccountsWindow *self = BACKUPS_ACCOUNTS_WINDOW (object);

  g_clear_pointer (&self->pending_name, g_free);
  g_clear_pointer (&self->pending_url, g_free);
  g_clear_pointer (&self->pending_secret_id, g_free);
  forget_token (self);

  G_OBJECT_CLASS (backups_accounts_window_parent_class)->finalize (object);
}

static void
backups_accounts_window_class_init (BackupsAccountsWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = backups_accounts_window_dispose;
  object_class->finalize = backups_accounts_window_finalize;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/example/Backups/ui/backups-accounts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, accounts_heading);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, accounts_stack);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, token_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, url_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, add_error_label);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, add_spinner);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, add_button);
  gtk_widget_class_bind_template_callback (widget_class, update_add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
}

static void
backups_accounts_window_init (BackupsAccountsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_entry_set_placeholder_text (self->url_entry, BACKUPS_GRIDPANE_DEFAULT_BASE_URL);
}

BackupsAccountsWindow *
backups_accounts_window_new (GtkWindow          *parent,
                             BackupsStore       *store,
                             BackupsSecrets     *secrets,
                             BackupsSyncService *sync_service,
                             gint64              org_id)
{
  g_autoptr (BackupsOrg) org = NULL;
  g_autofree char       *title = NULL;
  BackupsAccountsWindow *self;
  g_autoptr (GPtrArray) orgs = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);
  g_return_val_if_fail (BACKUPS_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (org_id > 0, NULL);

  self = g_object_new (BACKUPS_TYPE_ACCOUNTS_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  self->sync_service = sync_service ? g_object_ref (sync_service) : NULL;
  self->org_id = org_id;

  orgs = backups_store_list_orgs (store, NULL);
  for (guint i = 0; orgs != NULL && i < orgs->len; i++)
    if (backups_org_get_id (g_ptr_array_index (orgs, i)) == org_id)
      org = g_object_ref (g_ptr_array_index (orgs, i));

  /* Translators: the Accounts window's title; the organization's name */
  title = g_strdup_printf (_ ("Accounts of %s"), org ? backups_org_get_name (org) : "");
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_label (self->accounts_heading, title);

  self->store_changed_id
    = g_signal_connect_swapped (store, "changed", G_CALLBACK (reload_accounts), self);
  reload_accounts (self);

  return self;
}
