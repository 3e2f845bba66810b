/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-preferences-window.c
 *
 * The Preferences window, in two pages.
 *
 * Accounts: a group per organization with a row per account and its last
 * sync, and the forms to add an account and an organization. Renaming and
 * a new token happen in a popover of the row; removing asks first in a
 * message dialog. The changes themselves are BackupsAccountManager's; with
 * no organization yet, the one named in the form is created with the first
 * account. A first sync of a new account follows, so its rows appear in the
 * main window by themselves.
 *
 * Policy: the four GSettings keys that decide a site's health, bound to
 * their controls; the health model follows the settings by itself.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "backups-error.h"
#include "backups-format.h"
#include "backups-preferences-window.h"

struct _BackupsPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  BackupsAccountManager *manager;
  BackupsStore          *store; /* the manager's */
  BackupsSyncService    *sync_service;
  GSettings             *settings;
  /* The organization the add form is to offer at the next reload, or 0 to
   * keep the user's choice. */
  gint64 org_id;
  gulong store_changed_id;

  /* What the groups show: organization and account ids and names. The
   * groups are rebuilt only when this changes, so a sync finishing does
   * not close a popover the user is typing in. */
  char       *shown_key;
  GHashTable *account_rows; /* account id → its AdwActionRow */
  GArray     *dropdown_org_ids;

  /* While an account is being added. */
  GCancellable *add_cancellable;

  /* Template children */
  AdwPreferencesPage  *accounts_page;
  AdwPreferencesGroup *orgs_group;
  GtkWidget           *no_orgs_label;
  GtkBox              *orgs_box;
  AdwComboRow         *org_row;
  AdwEntryRow         *org_entry;
  AdwEntryRow         *name_entry;
  AdwEntryRow         *url_entry;
  AdwEntryRow         *token_entry;
  GtkLabel            *add_error_label;
  GtkSpinner          *add_spinner;
  GtkButton           *add_button;
  AdwEntryRow         *new_org_entry;
  GtkButton           *new_org_button;
  GtkLabel            *new_org_error_label;
  AdwActionRow        *require_remote_row;
  AdwActionRow        *min_retain_row;
  AdwActionRow        *max_gap_row;
  AdwActionRow        *crowded_start_row;
  GtkSwitch           *require_remote_switch;
  GtkSpinButton       *min_retain_spin;
  GtkSpinButton       *max_gap_spin;
  GtkSpinButton       *crowded_start_spin;
};

G_DEFINE_FINAL_TYPE (BackupsPreferencesWindow,
                     backups_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_ACCOUNT_MANAGER,
  PROP_SYNC_SERVICE,
  PROP_SETTINGS,
  PROP_ORG_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void first_sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
show_error (GtkLabel *label, const GError *error)
{
  gtk_label_set_label (label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
}

static void
add_toast (BackupsPreferencesWindow *self, const char *title)
{
  /* A toast's title is markup in libadwaita 1.2: a name is not. */
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwToast        *toast = adw_toast_new (escaped);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* The provider's words for a refused token point at this very window;
 * here the user needs to know what to check. */
static void
explain_validation_error (GError *error)
{
  if (!g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_UNAUTHORIZED))
    return;

  g_free (error->message);
  error->message = g_strdup (_ ("GridPane refused this token. Check that you copied all of it and "
                                "that it has not been revoked. Nothing was saved."));
}

static char *
describe_status (BackupsAccount *account)
{
  gint64           finished = backups_account_get_last_sync_finished_at (account);
  const char      *message = backups_account_get_last_sync_error (account);
  g_autofree char *ago = NULL;

  if (finished > 0)
    ago = backups_format_relative_time (finished, g_get_real_time () / G_USEC_PER_SEC);

  switch (backups_account_get_last_sync_status (account))
    {
    case BACKUPS_SYNC_STATUS_SYNCING:
      return g_strdup (_ ("Syncing…"));
    case BACKUPS_SYNC_STATUS_ERROR:
      if (message == NULL || *message == '\0')
        message = _ ("The last sync failed.");
      if (ago == NULL)
        return g_strdup (message);
      /* Translators: "Sync failed 5 minutes ago: <the reason>" */
      return g_strdup_printf (_ ("Sync failed %s: %s"), ago, message);
    case BACKUPS_SYNC_STATUS_OK:
      if (backups_account_get_last_sync_unreadable (account) > 0)
        {
          guint n = backups_account_get_last_sync_unreadable (account);

          return g_strdup_printf (
            /* Translators: "Last synced 5 minutes ago; 2 rows had values …" */
            ngettext ("Last synced %s; %u row had values Backups could not read",
                      "Last synced %s; %u rows had values Backups could not read", n),
            ago ? ago : "", n);
        }
      /* Translators: "Last synced 5 minutes ago" */
      return g_strdup_printf (_ ("Last synced %s"), ago ? ago : "");
    case BACKUPS_SYNC_STATUS_NEVER:
    default:
      return g_strdup (_ ("Never synced"));
    }
}

static void
set_status (AdwActionRow *row, BackupsAccount *account)
{
  g_autofree char *status = describe_status (account);
  gboolean failed = backups_account_get_last_sync_status (account) == BACKUPS_SYNC_STATUS_ERROR;

  adw_action_row_set_subtitle (row, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                               backups_account_get_last_sync_unreadable_reasons (account));
  /* The words say it failed; the colour only repeats it. */
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (row), "sync-failed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "sync-failed");
}

/* Popovers ------------------------------------------------------------------
 *
 * Renaming an organization or an account, and a new token, happen in a
 * popover of its row: a heading, an entry, the error in words, and one
 * button. Enter in the entry is the button; editing clears the error. */

static void
clear_error_label (GtkLabel *label)
{
  show_error (label, NULL);
}

static GtkWidget *
create_popover (const char *heading,
                GtkWidget  *entry,
                const char *button_mnemonic,
                GtkWidget **error_label_out,
                GtkWidget **button_out)
{
  GtkWidget *box, *label, *error_label, *button, *popover;

  label = gtk_label_new (heading);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (error_label), 40);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  button = gtk_button_new_with_mnemonic (button_mnemonic);
  gtk_widget_add_css_class (button, "suggested-action");

  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                  -1);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (clear_error_label), error_label);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), error_label);
  gtk_box_append (GTK_BOX (box), button);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  *error_label_out = error_label;
  *button_out = button;
  return popover;
}

static GtkWidget *
create_menu_button (const char *icon_name,
                    const char *tooltip,
                    const char *accessible_label,
                    GtkWidget  *popover)
{
  GtkWidget *menu_button = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), icon_name);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (menu_button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  gtk_widget_add_css_class (menu_button, "flat");
  return menu_button;
}

/* A rename of an organization or an account, from a popover of its row. */
typedef struct
{
  BackupsPreferencesWindow *self;
  GObject                  *target; /* a BackupsOrg or a BackupsAccount */
  GtkPopover               *popover;
  GtkEditable              *entry;
  GtkLabel                 *error_label;
  gboolean                  busy;
} RenameData;

static void
rename_data_free (RenameData *data)
{
  g_clear_object (&data->target);
  g_free (data);
}

static void
rename_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RenameData               *data = user_data;
  BackupsPreferencesWindow *self = data->self;
  BackupsAccountManager    *manager = BACKUPS_ACCOUNT_MANAGER (object);
  g_autoptr (GError) error = NULL;
  gboolean done;

  data->busy = FALSE;
  if (BACKUPS_IS_ORG (data->target))
    done = backups_account_manager_rename_org_finish (manager, result, &error);
  else
    done = backups_account_manager_rename_account_finish (manager, result, &error);

  if (!done && !backups_account_manager_is_keyring_error (error))
    show_error (data->error_label, error);
  else
    {
      /* A keyring that could not follow keeps old labels until the user
       * clears them there. */
      if (error != NULL)
        g_debug ("%s", error->message);
      show_error (data->error_label, NULL);
      gtk_popover_popdown (data->popover);
    }

  /* The popover (with `data`) and the window were kept alive until now. */
  g_object_unref (data->popover);
  g_object_unref (self);
}

static void
rename_activated (RenameData *data)
{
  BackupsAccountManager *manager = data->self->manager;
  g_autofree char       *text = g_strstrip (g_strdup (gtk_editable_get_text (data->entry)));

  if (data->busy)
    return;

  data->busy = TRUE;
  g_object_ref (data->self);
  g_object_ref (data->popover);
  if (BACKUPS_IS_ORG (data->target))
    backups_account_manager_rename_org_async (manager, BACKUPS_ORG (data->target), text, NULL,
                                              rename_done_cb, data);
  else
    backups_account_manager_rename_account_async (manager, BACKUPS_ACCOUNT (data->target), text,
                                                  NULL, rename_done_cb, data);
}

/* The Rename button of an organization's group or an account's row. */
static GtkWidget *
create_rename_button (BackupsPreferencesWindow *self,
                      GObject                  *target,
                      const char               *name,
                      const char               *accessible_label)
{
  RenameData *data = g_new0 (RenameData, 1);
  GtkWidget  *entry, *error_label, *button, *popover;
  /* Translators: the heading of the rename popover; the current name */
  g_autofree char *heading = g_strdup_printf (_ ("New name of “%s”"), name);

  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (rename_activated), data);
  popover = create_popover (heading, entry, _ ("_Rename"), &error_label, &button);

  data->self = self;
  data->target = g_object_ref (target);
  data->popover = GTK_POPOVER (popover);
  data->entry = GTK_EDITABLE (entry);
  data->error_label = GTK_LABEL (error_label);
  g_object_set_data_full (G_OBJECT (popover), "rename", data, (GDestroyNotify)rename_data_free);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (rename_activated), data);

  return create_menu_button ("document-edit-symbolic", _ ("Rename"), accessible_label, popover);
}

/* Replacing a token -----------------------------------------------------------
 *
 * The new token is checked with GridPane first, then kept under the
 * account's existing secret id, and the account syncs again. */

typedef struct
{
  BackupsPreferencesWindow *self;
  BackupsAccount           *account;
  GtkPopover               *popover;
  GtkEditable              *entry;
  GtkLabel                 *error_label;
  GtkWidget                *save_button;
  gboolean                  busy;
} TokenUpdate;

static void
token_update_free (TokenUpdate *update)
{
  g_clear_object (&update->account);
  g_free (update);
}

static void
token_replaced_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TokenUpdate              *update = user_data;
  BackupsPreferencesWindow *self = update->self;
  g_autoptr (GError) error = NULL;

  update->busy = FALSE;
  gtk_widget_set_sensitive (update->save_button, TRUE);
  if (!backups_account_manager_replace_token_finish (BACKUPS_ACCOUNT_MANAGER (object), result,
                                                     &error))
    explain_validation_error (error);
  show_error (update->error_label, error);

  if (error == NULL)
    {
      g_autofree char *news = NULL;

      gtk_editable_set_text (update->entry, "");
      gtk_popover_popdown (update->popover);
      /* Translators: a toast; the account's name */
      news = g_strdup_printf (_ ("The new token of “%s” is saved."),
                              backups_account_get_name (update->account));
      add_toast (self, news);
      if (self->sync_service != NULL)
        backups_sync_service_sync_account_async (self->sync_service,
                                                 backups_account_get_id (update->account), NULL,
                                                 first_sync_done_cb, NULL);
    }

  /* The popover (and with it `update`) and the window were kept alive
   * until now. */
  g_object_unref (update->popover);
  g_object_unref (self);
}

static void
save_token_cb (TokenUpdate *update)
{
  const char *token = gtk_editable_get_text (update->entry);

  if (*token == '\0' || update->busy)
    return;

  update->busy = TRUE;
  gtk_widget_set_sensitive (update->save_button, FALSE);
  g_object_ref (update->popover);
  g_object_ref (update->self);
  backups_account_manager_replace_token_async (update->self->manager, update->account, token, NULL,
                                               token_replaced_cb, update);
}

static GtkWidget *
create_token_button (BackupsPreferencesWindow *self, BackupsAccount *account)
{
  TokenUpdate     *update = g_new0 (TokenUpdate, 1);
  const char      *name = backups_account_get_name (account);
  g_autofree char *heading = NULL;
  g_autofree char *button_label = NULL;
  GtkWidget       *entry, *error_label, *save, *popover;

  heading = g_strdup_printf (_ ("New API token of “%s”"), name);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  popover = create_popover (heading, entry, _ ("_Check and Save"), &error_label, &save);

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

  /* Translators: a button's accessible name; the account's name */
  button_label = g_strdup_printf (_ ("Update the token of %s"), name);
  return create_menu_button ("dialog-password-symbolic", _ ("Update Token"), button_label, popover);
}

/* Removing -------------------------------------------------------------------
 *
 * Removing deletes cached rows and tokens, so it asks once, in a message
 * dialog over this window. */

typedef struct
{
  BackupsPreferencesWindow *self;
  GObject                  *target; /* a BackupsOrg or a BackupsAccount */
  char                     *name;
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->target);
  g_free (data->name);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RemoveData, remove_data_free)

static void
remove_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RemoveData) data = user_data;
  BackupsAccountManager *manager = BACKUPS_ACCOUNT_MANAGER (object);
  g_autoptr (GError) error = NULL;
  g_autofree char *news = NULL;
  gboolean         done;

  if (BACKUPS_IS_ORG (data->target))
    done = backups_account_manager_remove_org_finish (manager, result, &error);
  else
    done = backups_account_manager_remove_account_finish (manager, result, &error);

  if (!done && !backups_account_manager_is_keyring_error (error))
    {
      add_toast (data->self, error->message);
      return;
    }
  /* The rows are gone; a token the keyring kept stays until the user
   * clears it there. */
  if (error != NULL)
    g_debug ("%s", error->message);

  /* Translators: a toast; the name of the organization or account */
  news = g_strdup_printf (_ ("“%s” was removed."), data->name);
  add_toast (data->self, news);
}

static RemoveData *
remove_data_new (BackupsPreferencesWindow *self, GObject *target, const char *name)
{
  RemoveData *data = g_new0 (RemoveData, 1);

  data->self = g_object_ref (self);
  data->target = g_object_ref (target);
  data->name = g_strdup (name);
  return data;
}

/* `question` belongs to the dialog's handler and goes with the dialog,
 * answered or not; the removal gets its own copy. */
static void
remove_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  RemoveData            *question = user_data;
  BackupsAccountManager *manager = question->self->manager;
  GObject               *target = question->target;
  RemoveData            *removal;

  if (g_strcmp0 (response, "remove") != 0)
    return;

  removal = remove_data_new (question->self, target, question->name);
  if (BACKUPS_IS_ORG (target))
    backups_account_manager_remove_org_async (manager, BACKUPS_ORG (target), NULL, remove_done_cb,
                                              removal);
  else
    backups_account_manager_remove_account_async (manager, BACKUPS_ACCOUNT (target), NULL,
                                                  remove_done_cb, removal);
}

typedef struct
{
  BackupsPreferencesWindow *self;
  GObject                  *target;
  char                     *name;
  char                     *heading;
  char                     *body;
} RemoveButton;

static void
remove_button_free (RemoveButton *button)
{
  g_clear_object (&button->target);
  g_free (button->name);
  g_free (button->heading);
  g_free (button->body);
  g_free (button);
}

static void
remove_clicked_cb (RemoveButton *button)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (button->self), button->heading, button->body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "remove",
                                    _ ("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb),
                         remove_data_new (button->self, button->target, button->name),
                         (GClosureNotify)remove_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
create_remove_button (BackupsPreferencesWindow *self,
                      GObject                  *target,
                      const char               *name,
                      const char               *accessible_label,
                      const char               *heading,
                      const char               *body)
{
  RemoveButton *data = g_new0 (RemoveButton, 1);
  GtkWidget    *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  data->self = self;
  data->target = g_object_ref (target);
  data->name = g_strdup (name);
  data->heading = g_strdup (heading);
  data->body = g_strdup (body);
  g_object_set_data_full (G_OBJECT (button), "remove", data, (GDestroyNotify)remove_button_free);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (remove_clicked_cb), data);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _ ("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* The groups ----------------------------------------------------------------- */

static GtkWidget *
create_account_row (BackupsPreferencesWindow *self, BackupsAccount *account)
{
  const char      *name = backups_account_get_name (account);
  gint64           account_id = backups_account_get_id (account);
  g_autofree char *rename_label = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget       *row;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  /* A name is text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  set_status (ADW_ACTION_ROW (row), account);

  /* Translators: a button's accessible name; the account's name */
  rename_label = g_strdup_printf (_ ("Rename account %s"), name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             create_rename_button (self, G_OBJECT (account), name, rename_label));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), create_token_button (self, account));

  /* Translators: the heading of a confirmation; the account's name */
  heading = g_strdup_printf (_ ("Remove Account “%s”?"), name);
  body = g_strdup_printf (_ ("Remove “%s”? Its cached schedules and integrations are deleted "
                             "from this computer and its token from the keyring. Nothing "
                             "changes on GridPane."),
                          name);
  /* Translators: a button's accessible name; the account's name */
  remove_label = g_strdup_printf (_ ("Remove account %s"), name);
  adw_action_row_add_suffix (
    ADW_ACTION_ROW (row),
    create_remove_button (self, G_OBJECT (account), name, remove_label, heading, body));

  g_hash_table_insert (self->account_rows, g_memdup2 (&account_id, sizeof account_id), row);
  return row;
}

static GtkWidget *
create_org_group (BackupsPreferencesWindow *self, BackupsOrg *org, GPtrArray *accounts)
{
  const char      *name = backups_org_get_name (org);
  g_autofree char *rename_label = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *remove_label = NULL;
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  GtkWidget       *group, *suffix;

  group = adw_preferences_group_new ();
  /* The group's title is markup. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), escaped);
  gtk_accessible_update_property (GTK_ACCESSIBLE (group), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* Translators: a button's accessible name; the organization's name */
  rename_label = g_strdup_printf (_ ("Rename organization %s"), name);
  gtk_box_append (GTK_BOX (suffix),
                  create_rename_button (self, G_OBJECT (org), name, rename_label));

  /* Translators: the heading of a confirmation; the organization's name */
  heading = g_strdup_printf (_ ("Remove Organization “%s”?"), name);
  if (accounts->len == 0)
    body = g_strdup_printf (_ ("Remove the organization “%s”?"), name);
  else
    body = g_strdup_printf (
      /* Translators: the organization's name and how many accounts it has */
      g_dngettext (GETTEXT_PACKAGE,
                   "Remove “%s” and its %u account? Its cached schedules and integrations are "
                   "deleted from this computer and its token from the keyring. Nothing changes "
                   "on GridPane.",
                   "Remove “%s” and its %u accounts? Their cached schedules and integrations are "
                   "deleted from this computer and their tokens from the keyring. Nothing changes "
                   "on GridPane.",
                   accounts->len),
      name, accounts->len);
  /* Translators: a button's accessible name; the organization's name */
  remove_label = g_strdup_printf (_ ("Remove organization %s"), name);
  gtk_box_append (GTK_BOX (suffix),
                  create_remove_button (self, G_OBJECT (org), name, remove_label, heading, body));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), suffix);

  if (accounts->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _ ("No accounts yet. Add one below."));

  for (guint i = 0; i < accounts->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               create_account_row (self, g_ptr_array_index (accounts, i)));
  return group;
}

static void
append_key (GString *key, gint64 id, const char *name)
{
  g_string_append_printf (key, "%" G_GINT64_FORMAT "\t%s\n", id, name);
}

/* The add form's organization: a choice among the existing ones, or a name
 * for the first one. */
static void
reload_org_choice (BackupsPreferencesWindow *self, GPtrArray *orgs)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint  selected = 0;
  gint64 wanted = self->org_id;

  if (wanted == 0)
    {
      guint current = adw_combo_row_get_selected (self->org_row);

      if (current < self->dropdown_org_ids->len)
        wanted = g_array_index (self->dropdown_org_ids, gint64, current);
    }
  self->org_id = 0;

  g_array_set_size (self->dropdown_org_ids, 0);
  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg *org = g_ptr_array_index (orgs, i);
      gint64      id = backups_org_get_id (org);

      gtk_string_list_append (names, backups_org_get_name (org));
      g_array_append_val (self->dropdown_org_ids, id);
      if (id == wanted)
        selected = i;
    }

  adw_combo_row_set_model (self->org_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->org_row, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->org_row), orgs->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->org_entry), orgs->len == 0);
}

static void
reload (BackupsPreferencesWindow *self)
{
  g_autoptr (GPtrArray) orgs = NULL;
  g_autoptr (GPtrArray) all_accounts
    = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  g_autoptr (GString) key = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  GtkWidget *child;

  if (self->orgs_box == NULL)
    return;

  orgs = backups_store_list_orgs (self->store, &error);
  if (orgs == NULL)
    {
      g_debug ("Could not list organizations: %s", error->message);
      return;
    }

  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg *org = g_ptr_array_index (orgs, i);
      GPtrArray  *accounts
        = backups_store_list_accounts (self->store, backups_org_get_id (org), &error);

      if (accounts == NULL)
        {
          g_debug ("Could not list accounts: %s", error->message);
          return;
        }
      g_ptr_array_add (all_accounts, accounts);
      append_key (key, backups_org_get_id (org), backups_org_get_name (org));
      for (guint j = 0; j < accounts->len; j++)
        {
          BackupsAccount *account = g_ptr_array_index (accounts, j);

          g_string_append_c (key, '\t');
          append_key (key, backups_account_get_id (account), backups_account_get_name (account));
        }
    }

  if (g_strcmp0 (key->str, self->shown_key) == 0)
    {
      /* Only the sync states changed. */
      for (guint i = 0; i < all_accounts->len; i++)
        {
          GPtrArray *accounts = g_ptr_array_index (all_accounts, i);

          for (guint j = 0; j < accounts->len; j++)
            {
              BackupsAccount *account = g_ptr_array_index (accounts, j);
              gint64          account_id = backups_account_get_id (account);
              AdwActionRow   *row = g_hash_table_lookup (self->account_rows, &account_id);

              if (row != NULL)
                set_status (row, account);
            }
        }
      return;
    }

  g_free (self->shown_key);
  self->shown_key = g_string_free (g_steal_pointer (&key), FALSE);
  g_hash_table_remove_all (self->account_rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->orgs_box))) != NULL)
    gtk_box_remove (self->orgs_box, child);

  for (guint i = 0; i < orgs->len; i++)
    gtk_box_append (self->orgs_box, create_org_group (self, g_ptr_array_index (orgs, i),
                                                      g_ptr_array_index (all_accounts, i)));

  gtk_widget_set_visible (self->no_orgs_label, orgs->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->orgs_box), orgs->len > 0);
  reload_org_choice (self, orgs);
}

/* Adding an account ------------------------------------------------------------ */

static gint64
get_selected_org_id (BackupsPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->org_row);

  if (selected >= self->dropdown_org_ids->len)
    return 0;
  return g_array_index (self->dropdown_org_ids, gint64, selected);
}

static char *
get_stripped_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static void
update_add_button (BackupsPreferencesWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *org_name = NULL;
  const char      *token;
  gboolean         has_org;

  if (self->add_button == NULL)
    return;

  name = get_stripped_text (self->name_entry);
  org_name = get_stripped_text (self->org_entry);
  token = gtk_editable_get_text (GTK_EDITABLE (self->token_entry));
  has_org = self->dropdown_org_ids->len > 0 ? get_selected_org_id (self) != 0 : *org_name != '\0';
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->add_cancellable == NULL && has_org
                                                             && *name != '\0' && *token != '\0');
}

/* Any field of the form changed: what the error was about is being fixed. */
static void
add_form_changed (BackupsPreferencesWindow *self)
{
  if (self->add_error_label == NULL)
    return;

  if (self->add_cancellable == NULL)
    show_error (self->add_error_label, NULL);
  update_add_button (self);
}

static void
finish_adding (BackupsPreferencesWindow *self, const GError *error)
{
  g_clear_object (&self->add_cancellable);

  gtk_spinner_set_spinning (self->add_spinner, FALSE);

  if (error == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->token_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->org_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->url_entry), "");
    }
  /* After the fields are emptied, which clears an error. */
  show_error (self->add_error_label, error);

  update_add_button (self);
}

static void
first_sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  /* Its outcome is in the store, where the lists and the banner read it. */
  backups_sync_service_sync_account_finish (BACKUPS_SYNC_SERVICE (object), result, NULL);
}

static void
account_added_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (BackupsPreferencesWindow) self = user_data;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *news = NULL;

  account
    = backups_account_manager_add_account_finish (BACKUPS_ACCOUNT_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (account == NULL)
    {
      explain_validation_error (error);
      finish_adding (self, error);
      return;
    }

  self->org_id = backups_account_get_org_id (account);
  if (self->sync_service != NULL)
    backups_sync_service_sync_account_async (self->sync_service, backups_account_get_id (account),
                                             NULL, first_sync_done_cb, NULL);
  finish_adding (self, NULL);

  /* Translators: a toast; the new account's name */
  news = g_strdup_printf (_ ("Account “%s” added. Its first sync has started."),
                          backups_account_get_name (account));
  add_toast (self, news);
}

/* The organization the form names: one chosen among the existing ones, or
 * the name typed for the first one. */
static char *
get_form_org_name (BackupsPreferencesWindow *self)
{
  GtkStringObject *selected;

  if (self->dropdown_org_ids->len == 0)
    return get_stripped_text (self->org_entry);

  selected = adw_combo_row_get_selected_item (self->org_row);
  return g_strdup (selected != NULL ? gtk_string_object_get_string (selected) : "");
}

static void
add_clicked_cb (BackupsPreferencesWindow *self)
{
  g_autofree char *org_name = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;

  /* Enter in any field lands here too: only a complete form goes. */
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->add_button)))
    return;

  org_name = get_form_org_name (self);
  name = get_stripped_text (self->name_entry);
  url = get_stripped_text (self->url_entry);
  if (*url == '\0')
    {
      g_free (url);
      url = g_strdup (BACKUPS_PROVIDER_GRIDPANE_DEFAULT_BASE_URL);
    }

  self->add_cancellable = g_cancellable_new ();
  show_error (self->add_error_label, NULL);
  gtk_spinner_set_spinning (self->add_spinner, TRUE);
  update_add_button (self);

  backups_account_manager_add_account_async (
    self->manager, org_name, BACKUPS_PROVIDER_KIND_GRIDPANE, name, url,
    gtk_editable_get_text (GTK_EDITABLE (self->token_entry)), self->add_cancellable,
    account_added_cb, g_object_ref (self));
}

/* A new organization ------------------------------------------------------------ */

static void
new_org_changed (BackupsPreferencesWindow *self)
{
  g_autofree char *name = NULL;

  if (self->new_org_button == NULL)
    return;

  show_error (self->new_org_error_label, NULL);
  name = get_stripped_text (self->new_org_entry);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_org_button), *name != '\0');
}

static void
new_org_clicked_cb (BackupsPreferencesWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autofree char *name = get_stripped_text (self->new_org_entry);
  g_autofree char *news = NULL;

  if (*name == '\0')
    return;

  org = backups_account_manager_add_org (self->manager, name, &error);
  if (org == NULL)
    {
      show_error (self->new_org_error_label, error);
      return;
    }

  /* The next account most likely goes there. */
  self->org_id = backups_org_get_id (org);
  gtk_editable_set_text (GTK_EDITABLE (self->new_org_entry), "");
  /* Translators: a toast; the new organization's name */
  news = g_strdup_printf (_ ("Organization “%s” created. Add its first account below."),
                          backups_org_get_name (org));
  add_toast (self, news);
}

/* The window ---------------------------------------------------------------------- */

void
backups_preferences_window_show_page (BackupsPreferencesWindow *self, const char *name)
{
  g_return_if_fail (BACKUPS_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (name != NULL);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self), name);
  if (g_str_equal (name, "accounts") && self->dropdown_org_ids->len == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->org_entry));
}

static void
backups_preferences_window_constructed (GObject *object)
{
  BackupsPreferencesWindow *self = BACKUPS_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (backups_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  /* The health model reads these keys itself; nothing else to do here. */
  g_settings_bind (self->settings, "require-remote", self->require_remote_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "min-retain-days", self->min_retain_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-gap-hours", self->max_gap_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "crowded-start-sites", self->crowded_start_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  self->store = g_object_ref (backups_account_manager_get_store (self->manager));
  self->store_changed_id
    = g_signal_connect_swapped (self->store, "changed", G_CALLBACK (reload), self);
  reload (self);
  update_add_button (self);
  new_org_changed (self);
}

static void
backups_preferences_window_dispose (GObject *object)
{
  BackupsPreferencesWindow *self = BACKUPS_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->add_cancellable);
  g_clear_signal_handler (&self->store_changed_id, self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), BACKUPS_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->add_cancellable);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (backups_preferences_window_parent_class)->dispose (object);
}

static void
backups_preferences_window_finalize (GObject *object)
{
  BackupsPreferencesWindow *self = BACKUPS_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->shown_key, g_free);
  g_clear_pointer (&self->account_rows, g_hash_table_unref);
  g_clear_pointer (&self->dropdown_org_ids, g_array_unref);

  G_OBJECT_CLASS (backups_preferences_window_parent_class)->finalize (object);
}

static void
backups_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  BackupsPreferencesWindow *self = BACKUPS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_SYNC_SERVICE:
      g_value_set_object (value, self->sync_service);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_ORG_ID:
      g_value_set_int64 (value, self->org_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_preferences_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  BackupsPreferencesWindow *self = BACKUPS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_SYNC_SERVICE:
      self->sync_service = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_ORG_ID:
      self->org_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_preferences_window_class_init (BackupsPreferencesWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = backups_preferences_window_constructed;
  object_class->dispose = backups_preferences_window_dispose;
  object_class->finalize = backups_preferences_window_finalize;
  object_class->get_property = backups_preferences_window_get_property;
  object_class->set_property = backups_preferences_window_set_property;

  properties[PROP_ACCOUNT_MANAGER]
    = g_param_spec_object ("account-manager", NULL, NULL, BACKUPS_TYPE_ACCOUNT_MANAGER,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Nullable: without it, new accounts wait for the next sync. */
  properties[PROP_SYNC_SERVICE]
    = g_param_spec_object ("sync-service", NULL, NULL, BACKUPS_TYPE_SYNC_SERVICE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The policy's settings; NULL: the app's own schema. */
  properties[PROP_SETTINGS]
    = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The organization the add form offers first, or 0. */
  properties[PROP_ORG_ID]
    = g_param_spec_int64 ("org-id", NULL, NULL, 0, G_MAXINT64, 0,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/example/Backups/ui/backups-preferences-window.ui");
#define BIND(name)                                                                                 \
  gtk_widget_class_bind_template_child (widget_class, BackupsPreferencesWindow, name)
  BIND (accounts_page);
  BIND (orgs_group);
  BIND (no_orgs_label);
  BIND (orgs_box);
  BIND (org_row);
  BIND (org_entry);
  BIND (name_entry);
  BIND (url_entry);
  BIND (token_entry);
  BIND (add_error_label);
  BIND (add_spinner);
  BIND (add_button);
  BIND (new_org_entry);
  BIND (new_org_button);
  BIND (new_org_error_label);
  BIND (require_remote_row);
  BIND (min_retain_row);
  BIND (max_gap_row);
  BIND (crowded_start_row);
  BIND (require_remote_switch);
  BIND (min_retain_spin);
  BIND (max_gap_spin);
  BIND (crowded_start_spin);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, add_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_org_changed);
  gtk_widget_class_bind_template_callback (widget_class, new_org_clicked_cb);
}

static void
backups_preferences_window_init (BackupsPreferencesWindow *self)
{
  self->account_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->dropdown_org_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));
}

BackupsPreferencesWindow *
backups_preferences_window_new (GtkWindow             *parent,
                                BackupsAccountManager *manager,
                                BackupsSyncService    *sync_service,
                                GSettings             *settings,
                                gint64                 org_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (manager), NULL);
  g_return_val_if_fail (sync_service == NULL || BACKUPS_IS_SYNC_SERVICE (sync_service), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (org_id >= 0, NULL);

  return g_object_new (BACKUPS_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "account-manager",
                       manager, "sync-service", sync_service, "settings", settings, "org-id",
                       org_id, NULL);
}
