/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-pages.c
 *
 * The paginator's rule (gridpane-api.md, Pagination): when a list is
 * complete, when another page follows, and when the pages so far cannot be
 * a list at all. An incomplete list must never be applied: it would delete
 * rows that still exist.
 */
#include "config.h"

#include "backups-gridpane-parser.h"

#include <glib/gi18n-lib.h>

#include "backups-gridpane-value-private.h"

/* "GridPane returned 100 of 231 sites": the client adds the account. */
static void
set_shortfall_error (GError **error, BackupsGridpaneListKind kind, guint64 n_items, gint64 total)
{
  guint n = (guint)MIN (n_items, G_MAXUINT);
  guint of = (guint)MIN (total, G_MAXUINT);

  switch (kind)
    {
    case BACKUPS_GRIDPANE_LIST_SERVERS:
      INVALID (error, _ ("GridPane returned %u of %u servers"), n, of);
      break;
    case BACKUPS_GRIDPANE_LIST_SITES:
      INVALID (error, _ ("GridPane returned %u of %u sites"), n, of);
      break;
    case BACKUPS_GRIDPANE_LIST_SCHEDULES:
      INVALID (error, _ ("GridPane returned the backup schedules of %u of %u sites"), n, of);
      break;
    case BACKUPS_GRIDPANE_LIST_INTEGRATIONS:
    default:
      INVALID (error, _ ("GridPane returned %u of %u backup integrations"), n, of);
      break;
    }
}

BackupsGridpanePagesStep
backups_gridpane_pages_step (BackupsGridpaneListKind    kind,
                             const BackupsGridpanePage *page,
                             int                        requested,
                             guint                      n_new,
                             guint64                    n_items,
                             GError                   **error)
{
  gboolean more;

  g_return_val_if_fail (page != NULL, BACKUPS_GRIDPANE_PAGES_FAILED);
  g_return_val_if_fail (requested >= 1, BACKUPS_GRIDPANE_PAGES_FAILED);

  if (page->current_page != 0 && page->current_page != requested)
    {
      INVALID (error, _ ("page %d was asked for but page %d came back"), requested,
               page->current_page);
      return BACKUPS_GRIDPANE_PAGES_FAILED;
    }

  if (page->n_items > 0 && n_new == 0 && requested > 1)
    {
      INVALID (error, _ ("page %d repeats the records of an earlier page"), requested);
      return BACKUPS_GRIDPANE_PAGES_FAILED;
    }

  if (page->last_page > 0)
    more = requested < page->last_page;
  else
    more = page->next == BACKUPS_GRIDPANE_NEXT_LINK;

  if (more && page->n_items == 0)
    {
      INVALID (error, _ ("page %d is empty, but the list says more pages follow"), requested);
      return BACKUPS_GRIDPANE_PAGES_FAILED;
    }

  if (!more)
    {
      if (page->total >= 0 && n_items < (guint64)page->total)
        {
          set_shortfall_error (error, kind, n_items, page->total);
          return BACKUPS_GRIDPANE_PAGES_FAILED;
        }
      return BACKUPS_GRIDPANE_PAGES_DONE;
    }

  if (requested >= BACKUPS_GRIDPANE_MAX_PAGES)
    {
      INVALID (error, _ ("the list goes on past %d pages"), BACKUPS_GRIDPANE_MAX_PAGES);
      return BACKUPS_GRIDPANE_PAGES_FAILED;
    }
  return BACKUPS_GRIDPANE_PAGES_MORE;
}
