/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-accounts-window.c
 *
 * Organizations and their GridPane accounts: each organization with its
 * accounts and their last sync, and the forms to add, rename and remove
 * both. The changes themselves are BackupsAccountManager's; with no
 * organization yet, the one named in the form is created with the first
 * account. A first sync of a new account follows, so its rows appear in the
 * main window by themselves.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "backups-accounts-window.h"
#include "backups-error.h"
#include "backups-format.h"
/* For its default base URL only. */

struct _BackupsAccountsWindow
{
  GtkWindow parent_instance;

  BackupsAccountManager *manager;
  BackupsStore          *store; /* the manager's */
  BackupsSyncService    *sync_service;
  /* The organization the add form is to offer at the next reload, or 0 to
   * keep the user's choice. */
  gint64 org_id;
  gulong store_changed_id;

  /* What the sections show: organization and account ids and names. The
   * sections are rebuilt only when this changes, so a sync finishing does
   * not close a popover the user is typing in. */
  char       *shown_key;
  GHashTable *status_labels; /* account id → its row's status GtkLabel */
  GArray     *dropdown_org_ids;

  /* While an account is being added. */
  GCancellable *add_cancellable;

  /* Template children */
  GtkStack         *orgs_stack;
  GtkBox           *orgs_box;
  GtkDropDown      *org_dropdown;
  GtkEntry         *org_entry;
  GtkEntry         *name_entry;
  GtkPasswordEntry *token_entry;
  GtkEntry         *url_entry;
  GtkLabel         *add_error_label;
  GtkSpinner       *add_spinner;
  GtkButton        *add_button;
  GtkEntry         *new_org_entry;
  GtkButton        *new_org_button;
  GtkLabel         *new_org_error_label;
};

G_DEFINE_FINAL_TYPE (BackupsAccountsWindow, backups_accounts_window, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_ACCOUNT_MANAGER,
  PROP_SYNC_SERVICE,
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
set_status (GtkWidget *label, BackupsAccount *account)
{
  g_autofree char *status = describe_status (account);
  gboolean failed = backups_account_get_last_sync_status (account) == BACKUPS_SYNC_STATUS_ERROR;

  gtk_label_set_label (GTK_LABEL (label), status);
  gtk_widget_set_tooltip_text (label, backups_account_get_last_sync_unreadable_reasons (account));
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

/* Popovers ------------------------------------------------------------------
 *
 * Every change to an existing organization or account happens in a popover
 * of its row: a question or heading, an entry when there is something to
 * type, the error in words, and one button. */

static GtkWidget *
create_popover (const char *heading,
                GtkWidget  *entry,
                const char *button_mnemonic,
                gboolean    destructive,
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
  gtk_widget_add_css_class (button, destructive ? "destructive-action" : "suggested-action");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (box), label);
  if (entry != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      heading, -1);
      gtk_box_append (GTK_BOX (box), entry);
    }
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

/* A change to an organization or account from a popover of its row. */
typedef enum
{
  RENAME_ACCOUNT,
  REMOVE_ACCOUNT,
  RENAME_ORG,
  REMOVE_ORG,
} RowAction;

typedef struct
{
  BackupsAccountsWindow *self;
  GObject               *target;
  RowAction              action;
  GtkPopover            *popover;
  GtkEditable           *entry;
  GtkLabel              *error_label;
  gboolean               busy;
} RowActionData;

static void
row_action_data_free (RowActionData *data)
{
  g_clear_object (&data->target);
  g_free (data);
}

static gboolean
finish_row_action (RowAction action, GObject *manager, GAsyncResult *result, GError **error)
{
  switch (action)
    {
    case RENAME_ACCOUNT:
      return backups_account_manager_rename_account_finish (BACKUPS_ACCOUNT_MANAGER (manager),
                                                            result, error);
    case REMOVE_ACCOUNT:
      return backups_account_manager_remove_account_finish (BACKUPS_ACCOUNT_MANAGER (manager),
                                                            result, error);
    case RENAME_ORG:
      return backups_account_manager_rename_org_finish (BACKUPS_ACCOUNT_MANAGER (manager), result,
                                                        error);
    case REMOVE_ORG:
      return backups_account_manager_remove_org_finish (BACKUPS_ACCOUNT_MANAGER (manager), result,
                                                        error);
    default:
      g_assert_not_reached ();
    }
}

static void
row_action_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RowActionData         *data = user_data;
  BackupsAccountsWindow *self = data->self;
  g_autoptr (GError) error = NULL;

  data->busy = FALSE;
  if (!finish_row_action (data->action, object, result, &error)
      && !backups_account_manager_is_keyring_error (error))
    show_error (data->error_label, error);
  else
    {
      /* A keyring that could not follow keeps old labels or a token
       * until the user clears them there. */
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
row_action_activated (RowActionData *data)
{
  BackupsAccountManager *manager = data->self->manager;
  g_autofree char       *text = NULL;

  if (data->busy)
    return;

  if (data->entry != NULL)
    text = g_strstrip (g_strdup (gtk_editable_get_text (data->entry)));

  data->busy = TRUE;
  g_object_ref (data->self);
  g_object_ref (data->popover);
  switch (data->action)
    {
    case RENAME_ACCOUNT:
      backups_account_manager_rename_account_async (manager, BACKUPS_ACCOUNT (data->target), text,
                                                    NULL, row_action_done, data);
      break;
    case REMOVE_ACCOUNT:
      backups_account_manager_remove_account_async (manager, BACKUPS_ACCOUNT (data->target), NULL,
                                                    row_action_done, data);
      break;
    case RENAME_ORG:
      backups_account_manager_rename_org_async (manager, BACKUPS_ORG (data->target), text, NULL,
                                                row_action_done, data);
      break;
    case REMOVE_ORG:
      backups_account_manager_remove_org_async (manager, BACKUPS_ORG (data->target), NULL,
                                                row_action_done, data);
      break;
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
create_row_action_button (BackupsAccountsWindow *self,
                          const char            *icon_name,
                          const char            *tooltip,
                          const char            *accessible_label,
                          const char            *heading,
                          const char            *entry_text,
                          const char            *button_mnemonic,
                          gboolean               destructive,
                          RowAction              action,
                          GObject               *target)
{
  RowActionData *data = g_new0 (RowActionData, 1);
  GtkWidget     *entry = NULL, *error_label, *button, *popover;

  if (entry_text != NULL)
    {
      entry = gtk_entry_new ();
      gtk_editable_set_text (GTK_EDITABLE (entry), entry_text);
      g_signal_connect_swapped (entry, "activate", G_CALLBACK (row_action_activated), data);
    }
  popover = create_popover (heading, entry, button_mnemonic, destructive, &error_label, &button);

  data->self = self;
  data->target = g_object_ref (target);
  data->action = action;
  data->popover = GTK_POPOVER (popover);
  data->entry = entry ? GTK_EDITABLE (entry) : NULL;
  data->error_label = GTK_LABEL (error_label);
  g_object_set_data_full (G_OBJECT (popover), "row-action", data,
                          (GDestroyNotify)row_action_data_free);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (row_action_activated), data);

  return create_menu_button (icon_name, tooltip, accessible_label, popover);
}

/* The Rename button of an organization's header or an account's row. */
static void
append_rename_button (BackupsAccountsWindow *self,
                      GtkWidget             *box,
                      const char            *accessible_label,
                      RowAction              rename,
                      GObject               *target,
                      const char            *name)
{
  /* Translators: the heading of the rename popover; the current name */
  g_autofree char *heading = g_strdup_printf (_ ("New name of “%s”"), name);

  gtk_box_append (GTK_BOX (box), create_row_action_button (
                                   self, "document-edit-symbolic", _ ("Rename"), accessible_label,
                                   heading, name, _ ("_Rename"), FALSE, rename, target));
}

/* Its Remove button, which asks `question` first. */
static void
append_remove_button (BackupsAccountsWindow *self,
                      GtkWidget             *box,
                      const char            *accessible_label,
                      const char            *question,
                      RowAction              remove,
                      GObject               *target)
{
  gtk_box_append (GTK_BOX (box), create_row_action_button (
                                   self, "user-trash-symbolic", _ ("Remove"), accessible_label,
                                   question, NULL, _ ("_Remove"), TRUE, remove, target));
}

/* Replacing a token -----------------------------------------------------------
 *
 * The new token is checked with GridPane first, then kept under the
 * account's existing secret id, and the account syncs again. */

typedef struct
{
  BackupsAccountsWindow *self;
  BackupsAccount        *account;
  GtkPopover            *popover;
  GtkEditable           *entry;
  GtkLabel              *error_label;
  GtkWidget             *save_button;
  gboolean               busy;
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
  TokenUpdate           *update = user_data;
  BackupsAccountsWindow *self = update->self;
  g_autoptr (GError) error = NULL;

  update->busy = FALSE;
  gtk_widget_set_sensitive (update->save_button, TRUE);
  if (!backups_account_manager_replace_token_finish (BACKUPS_ACCOUNT_MANAGER (object), result,
                                                     &error))
    explain_validation_error (error);
  show_error (update->error_label, error);

  if (error == NULL)
    {
      gtk_editable_set_text (update->entry, "");
      gtk_popover_popdown (update->popover);
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
create_token_button (BackupsAccountsWindow *self, BackupsAccount *account)
{
  TokenUpdate     *update = g_new0 (TokenUpdate, 1);
  const char      *name = backups_account_get_name (account);
  g_autofree char *heading = NULL;
  g_autofree char *button_label = NULL;
  GtkWidget       *entry, *error_label, *save, *popover;

  heading = g_strdup_printf (_ ("New API token of “%s”"), name);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  popover = create_popover (heading, entry, _ ("_Check and Save"), FALSE, &error_label, &save);

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

/* The sections ---------------------------------------------------------------- */

static GtkWidget *
create_account_row (BackupsAccountsWindow *self, BackupsAccount *account)
{
  const char      *name = backups_account_get_name (account);
  gint64           account_id = backups_account_get_id (account);
  g_autofree char *rename_label = NULL;
  g_autofree char *question = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget       *row, *box, *labels, *title, *subtitle;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  title = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_widget_add_css_class (subtitle, "caption");
  set_status (subtitle, account);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  /* Translators: a button's accessible name; the account's name */
  rename_label = g_strdup_printf (_ ("Rename account %s"), name);
  append_rename_button (self, box, rename_label, RENAME_ACCOUNT, G_OBJECT (account), name);

  gtk_box_append (GTK_BOX (box), create_token_button (self, account));

  /* Removing asks once: it deletes the account's cached rows. */
  question = g_strdup_printf (_ ("Remove “%s”? Its cached schedules and integrations are deleted "
                                 "from this computer and its token from the keyring. Nothing "
                                 "changes on GridPane."),
                              name);
  /* Translators: a button's accessible name; the account's name */
  remove_label = g_strdup_printf (_ ("Remove account %s"), name);
  append_remove_button (self, box, remove_label, question, REMOVE_ACCOUNT, G_OBJECT (account));

  g_hash_table_insert (self->status_labels, g_memdup2 (&account_id, sizeof account_id), subtitle);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return row;
}

static GtkWidget *
create_org_section (BackupsAccountsWindow *self, BackupsOrg *org, GPtrArray *accounts)
{
  const char      *name = backups_org_get_name (org);
  g_autofree char *rename_label = NULL;
  g_autofree char *question = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget       *section, *header, *title, *list;

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  title = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (header), title);

  /* Translators: a button's accessible name; the organization's name */
  rename_label = g_strdup_printf (_ ("Rename organization %s"), name);
  append_rename_button (self, header, rename_label, RENAME_ORG, G_OBJECT (org), name);

  if (accounts->len == 0)
    question = g_strdup_printf (_ ("Remove the organization “%s”?"), name);
  else
    question = g_strdup_printf (
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
  append_remove_button (self, header, remove_label, question, REMOVE_ORG, G_OBJECT (org));

  section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (section), header);

  if (accounts->len == 0)
    {
      GtkWidget *none = gtk_label_new (_ ("No accounts yet. Add one below."));

      gtk_label_set_xalign (GTK_LABEL (none), 0);
      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (GTK_BOX (section), none);
      return section;
    }

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_add_css_class (list, "frame");
  /* Translators: the accessible name of a list; the organization's name */
  {
    g_autofree char *list_label = g_strdup_printf (_ ("Accounts of %s"), name);

    gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    list_label, -1);
  }
  for (guint i = 0; i < accounts->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         create_account_row (self, g_ptr_array_index (accounts, i)));
  gtk_box_append (GTK_BOX (section), list);
  return section;
}

static void
append_key (GString *key, gint64 id, const char *name)
{
  g_string_append_printf (key, "%" G_GINT64_FORMAT "\t%s\n", id, name);
}

/* The add form's organization: a choice among the existing ones, or a name
 * for the first one. */
static void
reload_dropdown (BackupsAccountsWindow *self, GPtrArray *orgs)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint  selected = 0;
  gint64 wanted = self->org_id;

  if (wanted == 0)
    {
      guint current = gtk_drop_down_get_selected (self->org_dropdown);

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

  gtk_drop_down_set_model (self->org_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->org_dropdown, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->org_dropdown), orgs->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->org_entry), orgs->len == 0);
}

static void
reload (BackupsAccountsWindow *self)
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
              GtkWidget      *label = g_hash_table_lookup (self->status_labels, &account_id);

              if (label != NULL)
                set_status (label, account);
            }
        }
      return;
    }

  g_free (self->shown_key);
  self->shown_key = g_string_free (g_steal_pointer (&key), FALSE);
  g_hash_table_remove_all (self->status_labels);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->orgs_box))) != NULL)
    gtk_box_remove (self->orgs_box, child);

  for (guint i = 0; i < orgs->len; i++)
    gtk_box_append (self->orgs_box, create_org_section (self, g_ptr_array_index (orgs, i),
                                                        g_ptr_array_index (all_accounts, i)));

  gtk_stack_set_visible_child_name (self->orgs_stack, orgs->len > 0 ? "list" : "none");
  reload_dropdown (self, orgs);
}

/* Adding an account ------------------------------------------------------------ */

static gint64
get_selected_org_id (BackupsAccountsWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->org_dropdown);

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
update_add_button (BackupsAccountsWindow *self)
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

static void
finish_adding (BackupsAccountsWindow *self, const GError *error)
{
  g_clear_object (&self->add_cancellable);

  gtk_spinner_set_spinning (self->add_spinner, FALSE);
  show_error (self->add_error_label, error);

  if (error == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->token_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->org_entry), "");
    }

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
  g_autoptr (BackupsAccountsWindow) self = user_data;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) error = NULL;

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
}

/* The organization the form names: one chosen among the existing ones, or
 * the name typed for the first one. */
static char *
get_form_org_name (BackupsAccountsWindow *self)
{
  GtkStringObject *selected;

  if (self->dropdown_org_ids->len == 0)
    return get_stripped_text (self->org_entry);

  selected = gtk_drop_down_get_selected_item (self->org_dropdown);
  return g_strdup (selected != NULL ? gtk_string_object_get_string (selected) : "");
}

static void
add_clicked_cb (BackupsAccountsWindow *self)
{
  g_autofree char *org_name = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;

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
update_new_org_button (BackupsAccountsWindow *self)
{
  g_autofree char *name = NULL;

  if (self->new_org_button == NULL)
    return;

  name = get_stripped_text (self->new_org_entry);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_org_button), *name != '\0');
}

static void
new_org_clicked_cb (BackupsAccountsWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autofree char *name = get_stripped_text (self->new_org_entry);

  if (*name == '\0')
    return;

  org = backups_account_manager_add_org (self->manager, name, &error);
  show_error (self->new_org_error_label, error);
  if (org == NULL)
    return;

  /* The next account most likely goes there. */
  self->org_id = backups_org_get_id (org);
  gtk_editable_set_text (GTK_EDITABLE (self->new_org_entry), "");
}

/* The window ---------------------------------------------------------------------- */

static void
backups_accounts_window_constructed (GObject *object)
{
  BackupsAccountsWindow *self = BACKUPS_ACCOUNTS_WINDOW (object);

  G_OBJECT_CLASS (backups_accounts_window_parent_class)->constructed (object);

  self->store = g_object_ref (backups_account_manager_get_store (self->manager));
  self->store_changed_id
    = g_signal_connect_swapped (self->store, "changed", G_CALLBACK (reload), self);
  reload (self);
  update_add_button (self);
}

static void
backups_accounts_window_dispose (GObject *object)
{
  BackupsAccountsWindow *self = BACKUPS_ACCOUNTS_WINDOW (object);

  g_cancellable_cancel (self->add_cancellable);
  g_clear_signal_handler (&self->store_changed_id, self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), BACKUPS_TYPE_ACCOUNTS_WINDOW);

  g_clear_object (&self->add_cancellable);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->store);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (backups_accounts_window_parent_class)->dispose (object);
}

static void
backups_accounts_window_finalize (GObject *object)
{
  BackupsAccountsWindow *self = BACKUPS_ACCOUNTS_WINDOW (object);

  g_clear_pointer (&self->shown_key, g_free);
  g_clear_pointer (&self->status_labels, g_hash_table_unref);
  g_clear_pointer (&self->dropdown_org_ids, g_array_unref);

  G_OBJECT_CLASS (backups_accounts_window_parent_class)->finalize (object);
}

static void
backups_accounts_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BackupsAccountsWindow *self = BACKUPS_ACCOUNTS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_SYNC_SERVICE:
      g_value_set_object (value, self->sync_service);
      break;
    case PROP_ORG_ID:
      g_value_set_int64 (value, self->org_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_accounts_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BackupsAccountsWindow *self = BACKUPS_ACCOUNTS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_SYNC_SERVICE:
      self->sync_service = g_value_dup_object (value);
      break;
    case PROP_ORG_ID:
      self->org_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_accounts_window_class_init (BackupsAccountsWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = backups_accounts_window_constructed;
  object_class->dispose = backups_accounts_window_dispose;
  object_class->finalize = backups_accounts_window_finalize;
  object_class->get_property = backups_accounts_window_get_property;
  object_class->set_property = backups_accounts_window_set_property;

  properties[PROP_ACCOUNT_MANAGER]
    = g_param_spec_object ("account-manager", NULL, NULL, BACKUPS_TYPE_ACCOUNT_MANAGER,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Nullable: without it, new accounts wait for the next sync. */
  properties[PROP_SYNC_SERVICE]
    = g_param_spec_object ("sync-service", NULL, NULL, BACKUPS_TYPE_SYNC_SERVICE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The organization the add form offers first, or 0. */
  properties[PROP_ORG_ID]
    = g_param_spec_int64 ("org-id", NULL, NULL, 0, G_MAXINT64, 0,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/example/Backups/ui/backups-accounts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, orgs_stack);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, orgs_box);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, org_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, org_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, token_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, url_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, add_error_label);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, add_spinner);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, new_org_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, new_org_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsAccountsWindow, new_org_error_label);
  gtk_widget_class_bind_template_callback (widget_class, update_add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_new_org_button);
  gtk_widget_class_bind_template_callback (widget_class, new_org_clicked_cb);
}

static void
backups_accounts_window_init (BackupsAccountsWindow *self)
{
  self->status_labels = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->dropdown_org_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_entry_set_placeholder_text (self->url_entry, BACKUPS_PROVIDER_GRIDPANE_DEFAULT_BASE_URL);
}

BackupsAccountsWindow *
backups_accounts_window_new (GtkWindow             *parent,
                             BackupsAccountManager *manager,
                             BackupsSyncService    *sync_service,
                             gint64                 org_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (manager), NULL);
  g_return_val_if_fail (sync_service == NULL || BACKUPS_IS_SYNC_SERVICE (sync_service), NULL);
  g_return_val_if_fail (org_id >= 0, NULL);

  return g_object_new (BACKUPS_TYPE_ACCOUNTS_WINDOW, "transient-for", parent, "account-manager",
                       manager, "sync-service", sync_service, "org-id", org_id, NULL);
}
