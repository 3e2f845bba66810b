/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock-private.h: what the files of the GridPane mock share
 * about its accounts. */
#pragma once

#include "gridpane-mock.h"
#include "gridpane-mock-fleet.h"

G_BEGIN_DECLS

/* The fleet of `token`; NULL, with a critical warning, for an unknown token. */
MockFleet *gridpane_mock_fleet_for (GridpaneMock *self, const char *token);
/* The fleet of `token`, or of every account when it is NULL. */
GPtrArray *gridpane_mock_fleets_for (GridpaneMock *self, const char *token);

G_END_DECLS
