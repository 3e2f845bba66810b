/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock-knobs.c: the GridPane mock's knobs for the shapes of its
 * lists, odd values and unknown integrations (tests/mock/README.md). */
#include "config.h"

#include "gridpane-mock.h"
#include "gridpane-mock-fleet.h"
#include "gridpane-mock-private.h"

typedef enum
{
  LIST_SHAPE,
  LIST_TOTAL_EXTRA,
  LIST_SHORT_LAST_PAGE,
  LIST_EMPTY_PAGE,
  LIST_PAGE_SIZE,
} ListOption;

/* Sets one option of list `path` for `token` (NULL = every account). */
static void
set_list_option (
  GridpaneMock *self, const char *token, const char *path, ListOption option, guint value)
{
  g_autoptr (GPtrArray) fleets = NULL;
  int list;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));
  list = mock_fleet_list_for_path (path);
  g_return_if_fail (list >= 0);
  /* The other lists are paginated anyway. */
  g_return_if_fail (option != LIST_PAGE_SIZE || list == MOCK_LIST_SCHEDULES
                    || list == MOCK_LIST_INTEGRATIONS);

  fleets = gridpane_mock_fleets_for (self, token);
  for (guint i = 0; i < fleets->len; i++)
    {
      MockListOptions *options = &((MockFleet *)g_ptr_array_index (fleets, i))->lists[list];

      switch (option)
        {
        case LIST_SHAPE:
          options->shape = (GridpaneMockMetaShape)value;
          break;
        case LIST_TOTAL_EXTRA:
          options->total_extra = value;
          break;
        case LIST_SHORT_LAST_PAGE:
          options->short_last_page = value != 0;
          break;
        case LIST_EMPTY_PAGE:
          options->empty_page = value;
          break;
        case LIST_PAGE_SIZE:
          options->page_size = value;
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

void
gridpane_mock_set_meta_shape (GridpaneMock         *self,
                              const char           *token,
                              const char           *path,
                              GridpaneMockMetaShape shape)
{
  g_return_if_fail (shape <= GRIDPANE_MOCK_META_NONE);

  set_list_option (self, token, path, LIST_SHAPE, shape);
}

void
gridpane_mock_set_total_extra (GridpaneMock *self, const char *token, const char *path, guint extra)
{
  set_list_option (self, token, path, LIST_TOTAL_EXTRA, extra);
}

void
gridpane_mock_set_short_last_page (GridpaneMock *self,
                                   const char   *token,
                                   const char   *path,
                                   gboolean      short_)
{
  set_list_option (self, token, path, LIST_SHORT_LAST_PAGE, !!short_);
}

void
gridpane_mock_set_empty_page (GridpaneMock *self, const char *token, const char *path, guint page)
{
  set_list_option (self, token, path, LIST_EMPTY_PAGE, page);
}

void
gridpane_mock_set_list_page_size (GridpaneMock *self,
                                  const char   *token,
                                  const char   *path,
                                  guint         page_size)
{
  set_list_option (self, token, path, LIST_PAGE_SIZE, page_size);
}

void
gridpane_mock_set_odd_values (GridpaneMock *self, const char *token, guint odd)
{
  g_autoptr (GPtrArray) fleets = NULL;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));
  g_return_if_fail ((odd & ~MOCK_ODD_ALL) == 0);

  fleets = gridpane_mock_fleets_for (self, token);
  for (guint i = 0; i < fleets->len; i++)
    ((MockFleet *)g_ptr_array_index (fleets, i))->odd = odd;
}

gboolean
gridpane_mock_get_odd_row (
  GridpaneMock *self, const char *token, GridpaneMockOdd odd, gint64 *site_id, gint64 *schedule_id)
{
  MockOddRow      rows[MOCK_N_ODD];
  MockFleet      *fleet;
  const MockSite *site;
  int             bit;

  if (site_id != NULL)
    *site_id = 0;
  if (schedule_id != NULL)
    *schedule_id = 0;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), FALSE);
  g_return_val_if_fail (odd != 0 && (odd & (odd - 1)) == 0 && (odd & ~MOCK_ODD_ALL) == 0, FALSE);

  if ((fleet = gridpane_mock_fleet_for (self, token)) == NULL || (fleet->odd & odd) == 0)
    return FALSE;
  if (odd == GRIDPANE_MOCK_ODD_SUCCESS_STRING)
    return TRUE;

  bit = g_bit_nth_lsf (odd, -1);
  mock_fleet_pick_odd_rows (fleet, rows);
  if (rows[bit].site < 0)
    return FALSE;

  site = &g_array_index (fleet->sites, MockSite, rows[bit].site);
  if (site_id != NULL)
    *site_id = site->id;
  if (schedule_id != NULL && rows[bit].schedule >= 0)
    *schedule_id = site->schedules[rows[bit].schedule].id;
  return TRUE;
}

void
gridpane_mock_set_dangling_integration (GridpaneMock *self, const char *token, gboolean dangling)
{
  g_autoptr (GPtrArray) fleets = NULL;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  fleets = gridpane_mock_fleets_for (self, token);
  for (guint i = 0; i < fleets->len; i++)
    mock_fleet_set_dangling (g_ptr_array_index (fleets, i), dangling);
}

GArray *
gridpane_mock_get_dangling_schedules (GridpaneMock *self, const char *token)
{
  MockFleet *fleet;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), NULL);

  if ((fleet = gridpane_mock_fleet_for (self, token)) == NULL)
    return g_array_new (FALSE, FALSE, sizeof (gint64));
  return mock_fleet_dangling_schedules (fleet);
}
