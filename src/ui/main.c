/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the `backups` program. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "backups-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (BackupsApplication) app = NULL;
  const char *locale_dir;

  setlocale (LC_ALL, "");
  /* ./run points this at the build's catalogues; installed, LOCALEDIR. */
  locale_dir = g_getenv ("BACKUPS_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir != NULL ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_ ("Backups"));
  app = backups_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
