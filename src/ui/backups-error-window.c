/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-error-window.c */
#include "config.h"

#include "backups-error-window.h"

struct _BackupsErrorWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  GtkLabel  *heading_label;
  GtkLabel  *message_label;
  GtkButton *close_button;
};

G_DEFINE_FINAL_TYPE (BackupsErrorWindow, backups_error_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_HEADING,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
backups_error_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BACKUPS_TYPE_ERROR_WINDOW);

  G_OBJECT_CLASS (backups_error_window_parent_class)->dispose (object);
}

static void
backups_error_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsErrorWindow *self = BACKUPS_ERROR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_HEADING:
      g_value_set_string (value, gtk_label_get_label (self->heading_label));
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, gtk_label_get_label (self->message_label));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_error_window_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BackupsErrorWindow *self = BACKUPS_ERROR_WINDOW (object);
  const char         *text = g_value_get_string (value);

  switch (prop_id)
    {
    case PROP_HEADING:
      gtk_label_set_label (self->heading_label, text != NULL ? text : "");
      break;
    case PROP_MESSAGE:
      gtk_label_set_label (self->message_label, text != NULL ? text : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_error_window_class_init (BackupsErrorWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = backups_error_window_dispose;
  object_class->get_property = backups_error_window_get_property;
  object_class->set_property = backups_error_window_set_property;

  properties[PROP_HEADING]
    = g_param_spec_string ("heading", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE]
    = g_param_spec_string ("message", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Backups/ui/backups-error-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BackupsErrorWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, BackupsErrorWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, BackupsErrorWindow, close_button);
}

static void
backups_error_window_init (BackupsErrorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BackupsErrorWindow *
backups_error_window_new (GtkApplication *application, const char *heading, const char *message)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (heading != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  return g_object_new (BACKUPS_TYPE_ERROR_WINDOW, "application", application, "heading", heading,
                       "message", message, NULL);
}
