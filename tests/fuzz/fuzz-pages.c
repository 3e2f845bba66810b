/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-pages.c: the four page parsers and the paginator's rule,
 * backups_gridpane_pages_step(), together.
 *
 * Input: an optional first line "# REQUESTED N_NEW N_ITEMS [CURRENT LAST
 * TOTAL NEXT PAGE_ITEMS]" (decimal numbers; missing ones take the values
 * the client would use), then the body. The body goes through each page
 * parser; every page one of them reads goes through the rule with the
 * line's numbers, and so does the page the last five numbers describe.
 * The rule must hold its promises: FAILED exactly when it sets an error,
 * never MORE on an empty page, past BACKUPS_GRIDPANE_MAX_PAGES or on a
 * page other than the one asked for, never DONE short of a known total,
 * and a page that comes back again as the next one is an error, not an
 * endless loop. */
#include <string.h>

#include "fuzz-common.h"

typedef struct
{
  gint64 numbers[8];
  guint  n_numbers;
} Line;

/* Reads the "# ..." line, if any; returns where the body starts. */
static size_t
read_line (const uint8_t *data, size_t size, Line *line)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) words = NULL;
  const uint8_t *end;

  line->n_numbers = 0;
  if (size == 0 || data[0] != '#')
    return 0;
  end = memchr (data, '\n', size);
  if (end == NULL)
    end = data + size;
  text = g_strndup ((const char *)data + 1, end - data - 1);
  words = g_strsplit_set (text, " \t", -1);
  for (guint i = 0; words[i] != NULL && line->n_numbers < G_N_ELEMENTS (line->numbers); i++)
    {
      gint64 value;

      if (words[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_signed (words[i], 10, G_MININT64, G_MAXINT64, &value, NULL))
        break;
      line->numbers[line->n_numbers++] = value;
    }
  return end < data + size ? (size_t)(end - data) + 1 : size;
}

static gint64
line_number (const Line *line, guint i, gint64 fallback)
{
  return i < line->n_numbers ? line->numbers[i] : fallback;
}

static BackupsGridpanePagesStep
step_checked (BackupsGridpaneListKind    kind,
              const BackupsGridpanePage *page,
              int                        requested,
              guint                      n_new,
              guint64                    n_items)
{
  g_autoptr (GError) error = NULL;
  BackupsGridpanePagesStep step;
  gboolean                 more_by_page;

  step = backups_gridpane_pages_step (kind, page, requested, n_new, n_items, &error);

  if (step != BACKUPS_GRIDPANE_PAGES_DONE && step != BACKUPS_GRIDPANE_PAGES_MORE
      && step != BACKUPS_GRIDPANE_PAGES_FAILED)
    abort ();
  /* An error exactly when FAILED, and a readable one. */
  if ((step == BACKUPS_GRIDPANE_PAGES_FAILED) != (error != NULL))
    abort ();
  fuzz_check_outcome (error == NULL ? GINT_TO_POINTER (1) : NULL, error);
  /* The same answer without an error to fill. */
  if (backups_gridpane_pages_step (kind, page, requested, n_new, n_items, NULL) != step)
    abort ();

  /* Another page than the one asked for is never taken. */
  if (page->current_page != 0 && page->current_page != requested
      && step != BACKUPS_GRIDPANE_PAGES_FAILED)
    abort ();
  /* A later page with no new records repeats an earlier one. */
  if (requested > 1 && page->n_items > 0 && n_new == 0 && step != BACKUPS_GRIDPANE_PAGES_FAILED)
    abort ();

  more_by_page
    = page->last_page > 0 ? requested < page->last_page : page->next == BACKUPS_GRIDPANE_NEXT_LINK;
  switch (step)
    {
    case BACKUPS_GRIDPANE_PAGES_DONE:
      /* Never an incomplete list. */
      if (page->total >= 0 && n_items < (guint64)page->total)
        abort ();
      if (more_by_page)
        abort ();
      break;
    case BACKUPS_GRIDPANE_PAGES_MORE:
      if (!more_by_page || page->n_items == 0 || requested >= BACKUPS_GRIDPANE_MAX_PAGES)
        abort ();
      break;
    case BACKUPS_GRIDPANE_PAGES_FAILED:
    default:
      break;
    }
  return step;
}

/* The rule on `page`, with the line's numbers or the client's. */
static void
check_page (BackupsGridpaneListKind    kind,
            const BackupsGridpanePage *page,
            guint                      n_records,
            const Line                *line)
{
  gint64  requested = line_number (line, 0, 1);
  gint64  n_new = line_number (line, 1, n_records > 0 ? n_records : page->n_items);
  gint64  n_items = line_number (line, 2, page->n_items);
  guint64 items;

  requested = CLAMP (requested, 1, G_MAXINT);
  n_new = CLAMP (n_new, 0, G_MAXUINT);
  items = n_items < 0 ? 0 : (guint64)n_items;

  if (step_checked (kind, page, (int)requested, (guint)n_new, items) == BACKUPS_GRIDPANE_PAGES_MORE)
    {
      /* The same page again as the next one: an error, not a loop. */
      if (step_checked (kind, page, (int)requested + 1, 0, items + page->n_items)
          != BACKUPS_GRIDPANE_PAGES_FAILED)
        abort ();
    }
}

static GPtrArray *
parse (BackupsGridpaneListKind kind,
       const char             *body,
       size_t                  len,
       BackupsGridpanePage    *page,
       GError                **error)
{
  switch (kind)
    {
    case BACKUPS_GRIDPANE_LIST_SERVERS:
      return backups_gridpane_parse_servers_page (body, len, page, error);
    case BACKUPS_GRIDPANE_LIST_SITES:
      return backups_gridpane_parse_sites_page (body, len, page, error);
    case BACKUPS_GRIDPANE_LIST_SCHEDULES:
      return backups_gridpane_parse_schedules_page (body, len, page, error);
    case BACKUPS_GRIDPANE_LIST_INTEGRATIONS:
    default:
      return backups_gridpane_parse_integrations_page (body, len, page, error);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Line                line;
  size_t              start = read_line (data, size, &line);
  const char         *body = (const char *)data + start;
  size_t              len = size - start;
  BackupsGridpanePage synthetic;

  for (BackupsGridpaneListKind kind = BACKUPS_GRIDPANE_LIST_SERVERS;
       kind <= BACKUPS_GRIDPANE_LIST_INTEGRATIONS; kind++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) records = NULL;
      BackupsGridpanePage page;

      records = parse (kind, body, len, &page, &error);
      fuzz_check_outcome (records, error);
      if (records == NULL)
        continue;
      fuzz_check_page (records, &page, kind != BACKUPS_GRIDPANE_LIST_SCHEDULES);
      check_page (kind, &page, records->len, &line);
    }

  /* A page as the last five numbers say, in the ranges the parsers give. */
  if (line.n_numbers >= 8)
    {
      synthetic.current_page = (int)CLAMP (line.numbers[3], 0, G_MAXINT);
      synthetic.last_page = (int)CLAMP (line.numbers[4], 0, G_MAXINT);
      synthetic.total = MAX (line.numbers[5], -1);
      synthetic.next = (BackupsGridpaneNext)((guint64)line.numbers[6] % 3);
      synthetic.n_items = (guint)CLAMP (line.numbers[7], 0, G_MAXUINT);
      for (BackupsGridpaneListKind kind = BACKUPS_GRIDPANE_LIST_SERVERS;
           kind <= BACKUPS_GRIDPANE_LIST_INTEGRATIONS; kind++)
        check_page (kind, &synthetic, synthetic.n_items, &line);
    }
  return 0;
}
